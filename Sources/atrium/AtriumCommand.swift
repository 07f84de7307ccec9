import ArgumentParser

@main
struct AtriumCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "atrium")
}
