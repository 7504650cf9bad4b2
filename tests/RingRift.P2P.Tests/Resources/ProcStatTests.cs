using RingRift.P2P.Resources;
using Xunit;

namespace RingRift.P2P.Tests.Resources;

public class ProcStatTests
{
    // columns: user nice system idle iowait irq softirq steal guest guest_nice (proc(5))
    private const string Modern = """
        cpu  100 20 30 400 50 6 7 8 90 10
        cpu0 50 10 15 200 25 3 3 4 45 5
        intr 12345 0 0
        ctxt 999
        """;

    [Fact]
    public void Parse_SumsUserThroughSteal_AndCountsIowaitAsIdle()
    {
        var stat = ProcStat.Parse(Modern);
        Assert.Equal(100UL + 20 + 30 + 400 + 50 + 6 + 7 + 8, stat.TotalJiffies); // guest already inside user/nice
        Assert.Equal(450UL, stat.IdleJiffies);
    }

    [Fact]
    public void Parse_UsesAggregateLine_NotPerCoreLines()
    {
        var stat = ProcStat.Parse("cpu0 1 1 1 1\ncpu  10 0 10 80\ncpu1 9 9 9 9\n");
        Assert.Equal(new ProcStat(100, 80), stat);
    }

    [Fact]
    public void Parse_AcceptsOldKernelsWithFourColumns()
    {
        Assert.Equal(new ProcStat(10, 4), ProcStat.Parse("cpu 1 2 3 4\n"));
    }

    [Theory]
    [InlineData("", "no aggregate 'cpu' line")]
    [InlineData("cpu0 1 2 3 4\n", "no aggregate 'cpu' line")]
    [InlineData("cpu 1 2 3\n", "at least 4 columns")]
    [InlineData("cpu 1 2 x 4\n", "column 3")]
    [InlineData("cpu 1 2 -3 4\n", "column 3")]
    public void Parse_RejectsMalformedText_NamingTheProblem(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => ProcStat.Parse(text));
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData(1000, 800, 1100, 850, 50.0)]   // 100 jiffies, 50 idle
    [InlineData(1000, 800, 1100, 900, 0.0)]    // all idle
    [InlineData(1000, 800, 1100, 800, 100.0)]  // no idle
    [InlineData(1000, 800, 1200, 850, 75.0)]
    [InlineData(1000, 800, 1000, 800, 0.0)]    // no jiffy elapsed
    [InlineData(1000, 800, 900, 700, 0.0)]     // counters went backwards (reset)
    [InlineData(1000, 800, 1100, 790, 100.0)]  // idle fell (iowait can): no idle time
    [InlineData(1000, 800, 1100, 950, 0.0)]    // idle grew more than total: clamp
    public void CpuPercentBetween_IsBusyShareOfElapsedJiffies(ulong t0, ulong i0, ulong t1, ulong i1, double expected)
    {
        Assert.Equal(expected, ProcStat.CpuPercentBetween(new ProcStat(t0, i0), new ProcStat(t1, i1)), precision: 9);
    }
}
