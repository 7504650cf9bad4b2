namespace RingRift.P2P.Models;

/// <summary>
/// A node's resource use in percent (0–100). <see cref="LoadScore"/> weighs CPU, memory and GPU
/// memory 30 % each and disk 10 %, scaled to [0, 1].
/// </summary>
public sealed record ResourceMetrics
{
    /// <summary>Any single metric above this (percent) makes the node overloaded. 90 by default.</summary>
    public const double OverloadThresholdPercent = 90.0;

    public ResourceMetrics(double cpuPercent, double memoryPercent, double gpuMemoryPercent, double diskPercent)
    {
        CpuPercent = Check(cpuPercent, "cpu_percent");
        MemoryPercent = Check(memoryPercent, "memory_percent");
        GpuMemoryPercent = Check(gpuMemoryPercent, "gpu_memory_percent");
        DiskPercent = Check(diskPercent, "disk_percent");
    }

    public static ResourceMetrics Idle { get; } = new(0, 0, 0, 0);

    public double CpuPercent { get; }
    public double MemoryPercent { get; }
    public double GpuMemoryPercent { get; }
    public double DiskPercent { get; }

    /// <summary>(0.30·cpu + 0.30·memory + 0.30·gpu_memory + 0.10·disk) / 100, in [0, 1].</summary>
    public double LoadScore => (0.30 * CpuPercent + 0.30 * MemoryPercent + 0.30 * GpuMemoryPercent + 0.10 * DiskPercent) / 100.0;

    /// <summary>True when any metric is above <see cref="OverloadThresholdPercent"/>.</summary>
    public bool IsOverloaded =>
        CpuPercent > OverloadThresholdPercent || MemoryPercent > OverloadThresholdPercent ||
        GpuMemoryPercent > OverloadThresholdPercent || DiskPercent > OverloadThresholdPercent;

    private static double Check(double value, string name) =>
        double.IsNaN(value) || value < 0 || value > 100
            ? throw new ArgumentOutOfRangeException(name, value, $"{name} must be a percentage between 0 and 100, got {value}")
            : value;
}
