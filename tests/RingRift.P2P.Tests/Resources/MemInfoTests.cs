using RingRift.P2P.Resources;
using Xunit;

namespace RingRift.P2P.Tests.Resources;

public class MemInfoTests
{
    [Fact]
    public void Parse_UsesMemAvailable()
    {
        var info = MemInfo.Parse("""
            MemTotal:       16000000 kB
            MemFree:         1000000 kB
            MemAvailable:    4000000 kB
            Buffers:          500000 kB
            Cached:          2000000 kB
            HugePages_Total:       0
            """);

        Assert.Equal(new MemInfo(16_000_000, 4_000_000), info);
        Assert.Equal(75.0, info.UsedPercent, precision: 9);
    }

    [Fact]
    public void Parse_WithoutMemAvailable_FallsBackToFreePlusBuffersPlusCached()
    {
        var info = MemInfo.Parse("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n");

        Assert.Equal(new MemInfo(1000, 400), info);
        Assert.Equal(60.0, info.UsedPercent, precision: 9);
    }

    [Fact]
    public void Parse_FallbackTreatsMissingBuffersAndCachedAsZero()
    {
        Assert.Equal(new MemInfo(1000, 100), MemInfo.Parse("MemTotal: 1000 kB\nMemFree: 100 kB\n"));
    }

    [Theory]
    [InlineData("MemFree: 100 kB\nMemAvailable: 200 kB\n", "MemTotal")]
    [InlineData("MemTotal: 1000 kB\nBuffers: 5 kB\n", "neither MemAvailable nor MemFree")]
    [InlineData("", "MemTotal")]
    public void Parse_RejectsTextWithoutTheNeededLines(string text, string expected)
    {
        Assert.Contains(expected, Assert.Throws<FormatException>(() => MemInfo.Parse(text)).Message);
    }

    [Fact]
    public void Parse_SkipsMalformedLines()
    {
        Assert.Equal(new MemInfo(1000, 500), MemInfo.Parse("garbage\nMemTotal: 1000 kB\nMemAvailable: lots kB\nMemAvailable: 500 kB\n: 3\n"));
    }

    [Theory]
    [InlineData(1000UL, 1000UL, 0.0)]
    [InlineData(1000UL, 0UL, 100.0)]
    [InlineData(1000UL, 5000UL, 0.0)] // more available than total: clamp
    [InlineData(0UL, 0UL, 0.0)]
    public void UsedPercent_IsClampedShareOfTotal(ulong total, ulong available, double expected)
    {
        Assert.Equal(expected, new MemInfo(total, available).UsedPercent, precision: 9);
    }
}
