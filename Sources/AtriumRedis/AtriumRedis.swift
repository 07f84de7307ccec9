import CHiredis
import NIOCore
enum AtriumRedisModule {}
