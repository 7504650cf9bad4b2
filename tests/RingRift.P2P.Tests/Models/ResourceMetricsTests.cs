using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Tests.Models;

public sealed class ResourceMetricsTests
{
    [Theory]
    [InlineData(0, 0, 0, 0, 0.0)]
    [InlineData(100, 100, 100, 100, 1.0)]
    [InlineData(45, 60, 80, 55, 0.61)]     // the seed's example: (13.5 + 18 + 24 + 5.5) / 100
    [InlineData(100, 0, 0, 0, 0.30)]
    [InlineData(0, 100, 0, 0, 0.30)]
    [InlineData(0, 0, 100, 0, 0.30)]
    [InlineData(0, 0, 0, 100, 0.10)]
    [InlineData(80, 80, 80, 80, 0.80)]
    public void LoadScore_WeighsCpuMemoryGpu30PercentAndDisk10Percent(double cpu, double mem, double gpu, double disk, double expected) =>
        Assert.Equal(expected, new ResourceMetrics(cpu, mem, gpu, disk).LoadScore, precision: 12);

    [Theory]
    [InlineData(90, 90, 90, 90, false)]
    [InlineData(90.0001, 0, 0, 0, true)]
    [InlineData(0, 90.0001, 0, 0, true)]
    [InlineData(0, 0, 90.0001, 0, true)]
    [InlineData(0, 0, 0, 90.0001, true)]
    [InlineData(0, 0, 0, 0, false)]
    public void IsOverloaded_WhenAnyMetricIsAbove90(double cpu, double mem, double gpu, double disk, bool expected) =>
        Assert.Equal(expected, new ResourceMetrics(cpu, mem, gpu, disk).IsOverloaded);

    [Fact]
    public void OverloadThreshold_Is90() => Assert.Equal(90.0, ResourceMetrics.OverloadThresholdPercent);

    [Theory]
    [InlineData(double.NaN, 0, 0, 0, "cpu_percent")]
    [InlineData(-0.0001, 0, 0, 0, "cpu_percent")]
    [InlineData(0, 100.0001, 0, 0, "memory_percent")]
    [InlineData(0, 0, double.NaN, 0, "gpu_memory_percent")]
    [InlineData(0, 0, 0, -1, "disk_percent")]
    [InlineData(0, 0, 0, double.PositiveInfinity, "disk_percent")]
    public void OutOfRange_IsRejectedNamingTheField(double cpu, double mem, double gpu, double disk, string field)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ResourceMetrics(cpu, mem, gpu, disk));
        Assert.Equal(field, e.ParamName);
        Assert.Contains(field, e.Message);
    }

    [Fact]
    public void Idle_IsAllZero()
    {
        Assert.Equal(0, ResourceMetrics.Idle.LoadScore);
        Assert.False(ResourceMetrics.Idle.IsOverloaded);
    }
}
