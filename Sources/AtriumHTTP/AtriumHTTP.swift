import Hummingbird
import Prometheus
import AtriumCore
import AtriumRedis
enum AtriumHTTPModule {}
