namespace RingRift.P2P.Resources;

/// <summary>
/// All GPUs of a node as one entry: the first GPU's name, the count, memory summed over all GPUs
/// (MiB), memory used over all GPUs in percent, and mean utilization over the GPUs that report it.
/// </summary>
public sealed record GpuSummary(
    string Name,
    int Count,
    long MemoryTotalMb,
    long MemoryUsedMb,
    double MemoryPercent,
    double UtilizationPercent);
