using RingRift.P2P.Models;

namespace RingRift.P2P.Resources;

/// <summary>
/// One reading of this node's resources. Percentages are 0–100 (0 when a value could not be
/// read); sizes are MiB (1024·1024 bytes). A CPU node has <see cref="GpuName"/> null and all GPU
/// values 0.
/// </summary>
/// <param name="CpuPercent">Busy share of all cores over the sampling window.</param>
/// <param name="MemoryPercent">(MemTotal − MemAvailable) / MemTotal · 100.</param>
/// <param name="DiskPercent">(total − free) / total · 100 of the file system holding the sampler's disk path.</param>
/// <param name="GpuMemoryPercent">Used / total memory summed over all GPUs · 100.</param>
/// <param name="CpuCount">Logical processors available to this process.</param>
/// <param name="MemoryTotalMb">MemTotal in MiB.</param>
/// <param name="DiskTotalMb">Size of that file system in MiB.</param>
/// <param name="GpuName">Name of the first GPU as nvidia-smi reports it, or null on a CPU node.</param>
/// <param name="GpuCount">Number of GPUs (0 on a CPU node).</param>
/// <param name="GpuMemoryTotalMb">Memory of all GPUs in MiB.</param>
/// <param name="GpuUtilizationPercent">Mean utilization over the GPUs that report it.</param>
public sealed record ResourceReading(
    double CpuPercent,
    double MemoryPercent,
    double DiskPercent,
    double GpuMemoryPercent,
    int CpuCount,
    long MemoryTotalMb,
    long DiskTotalMb,
    string? GpuName,
    int GpuCount,
    long GpuMemoryTotalMb,
    double GpuUtilizationPercent)
{
    /// <summary>The four load percentages as <see cref="ResourceMetrics"/>, each clamped to [0, 100] (NaN → 0).</summary>
    public ResourceMetrics ToMetrics() =>
        new(Clamp(CpuPercent), Clamp(MemoryPercent), Clamp(GpuMemoryPercent), Clamp(DiskPercent));

    internal static double Clamp(double percent) => double.IsNaN(percent) ? 0 : Math.Clamp(percent, 0, 100);
}
