using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Resources;

/// <summary>Source-generated logs of the resource sampler; event ids 7200–7299.</summary>
internal static partial class ResourcesLog
{
    [LoggerMessage(EventId = 7200, Level = LogLevel.Warning, Message = "Cannot read {Resource} ({Reason}); reporting 0 for it (warned once)")]
    public static partial void Unreadable(ILogger logger, string resource, string reason);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "No usable nvidia-smi ({Reason}); treating this node as a CPU node, next probe in {Minutes} min")]
    public static partial void NoGpu(ILogger logger, string reason, double minutes);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Debug, Message = "nvidia-smi probe failed again ({Reason})")]
    public static partial void NoGpuAgain(ILogger logger, string reason);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Information, Message = "Found {Count} GPU(s): {Name}, {MemoryMb} MiB")]
    public static partial void GpuFound(ILogger logger, int count, string name, long memoryMb);
}
