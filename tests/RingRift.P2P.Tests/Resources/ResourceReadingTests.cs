using RingRift.P2P.Resources;
using Xunit;

namespace RingRift.P2P.Tests.Resources;

public class ResourceReadingTests
{
    private static ResourceReading Reading(double cpu, double memory, double disk, double gpu) =>
        new(cpu, memory, disk, gpu, CpuCount: 8, MemoryTotalMb: 1024, DiskTotalMb: 2048, GpuName: null, GpuCount: 0, GpuMemoryTotalMb: 0, GpuUtilizationPercent: 0);

    [Fact]
    public void ToMetrics_MapsEachPercentToItsField()
    {
        var metrics = Reading(cpu: 11, memory: 22, disk: 33, gpu: 44).ToMetrics();

        Assert.Equal(11, metrics.CpuPercent);
        Assert.Equal(22, metrics.MemoryPercent);
        Assert.Equal(33, metrics.DiskPercent);
        Assert.Equal(44, metrics.GpuMemoryPercent);
    }

    [Fact]
    public void ToMetrics_ClampsToZeroToHundred_AndNaNToZero()
    {
        var metrics = Reading(cpu: 100.0000001, memory: -3, disk: double.NaN, gpu: double.PositiveInfinity).ToMetrics();

        Assert.Equal(100, metrics.CpuPercent);
        Assert.Equal(0, metrics.MemoryPercent);
        Assert.Equal(0, metrics.DiskPercent);
        Assert.Equal(100, metrics.GpuMemoryPercent);
    }
}
