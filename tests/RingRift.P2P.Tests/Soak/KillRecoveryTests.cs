using RingRift.P2P.Testing.Soak;
using Xunit;

namespace RingRift.P2P.Tests.Soak;

/// <summary>
/// The soak's recovery figures: the rate before a kill, the first success after it, and the end of the
/// first 1 s window (wholly after the kill) holding 90 % of that rate.
/// </summary>
public sealed class KillRecoveryTests
{
    private const double Kill = 120;

    /// <summary>Operations at <paramref name="perSecond"/>, the first at <paramref name="from"/> + half a gap, up to <paramref name="to"/>; each invoked 10 ms before it returns.</summary>
    private static (List<double> Invoked, List<double> Done) Steady(double from, double to, int perSecond, (List<double> Invoked, List<double> Done)? into = null)
    {
        var (invoked, done) = into ?? ([], []);
        for (var i = 0; ; i++)
        {
            var at = from + (i + 0.5) / perSecond;
            if (at >= to) break;
            invoked.Add(at - 0.01);
            done.Add(at);
        }
        return (invoked, done);
    }

    [Fact]
    public void Baseline_IsTheRateOverTheMinuteBeforeTheKill()
    {
        var ops = Steady(0, 60, 5);
        Steady(60, Kill, 10, ops); // only this minute counts

        var recovery = KillRecovery.Measure(ops.Invoked, ops.Done, Kill, horizon: Kill + 30);

        Assert.Equal(10, recovery.BaselinePerSecond, precision: 9);
    }

    [Fact]
    public void Baseline_EarlyKill_CountsFromTheStart()
    {
        var ops = Steady(0, 20, 10);

        Assert.Equal(10, KillRecovery.Measure(ops.Invoked, ops.Done, 20, horizon: 40).BaselinePerSecond, precision: 9);
    }

    [Fact]
    public void FirstSuccess_CountsOnlyOperationsInvokedAfterTheKill()
    {
        List<double> invoked = [Kill - 0.5, Kill + 0.2, Kill + 0.1];
        List<double> done = [Kill + 0.05, Kill + 0.9, Kill + 0.7]; // the first returned after the kill but was sent before it

        var recovery = KillRecovery.Measure(invoked, done, Kill, horizon: Kill + 30);

        Assert.Equal(0.7, recovery.FirstSuccessSeconds!.Value, precision: 9);
    }

    [Fact]
    public void FirstSuccess_AfterTheHorizon_IsNone()
    {
        var recovery = KillRecovery.Measure([Kill + 1], [Kill + 31], Kill, horizon: Kill + 30);

        Assert.Null(recovery.FirstSuccessSeconds);
    }

    [Fact]
    public void Recovered_IsTheEndOfTheFirstWindowHoldingNinetyPercent()
    {
        // 10/s before, nothing for 3 s, then 10/s again at Kill + 3.05, 3.15, ...: the window ending at the
        // ninth of them (Kill + 3.85) is the first holding 9 = 90 % of 10.
        var ops = Steady(Kill - 60, Kill, 10);
        Steady(Kill + 3, Kill + 30, 10, ops);

        var recovery = KillRecovery.Measure(ops.Invoked, ops.Done, Kill, horizon: Kill + 30);

        Assert.Equal(3.85, recovery.RecoveredSeconds!.Value, precision: 9);
    }

    [Fact]
    public void Recovered_EightOfNine_IsNotEnough()
    {
        // After the gap only 8 per second: never 90 % of 10.
        var ops = Steady(Kill - 60, Kill, 10);
        Steady(Kill + 3, Kill + 30, 8, ops);

        Assert.Null(KillRecovery.Measure(ops.Invoked, ops.Done, Kill, horizon: Kill + 30).RecoveredSeconds);
    }

    [Fact]
    public void Recovered_WithoutAGap_IsOneWindowAfterTheKill()
    {
        // No dip at all: the earliest answer is the first window wholly after the kill, never the one straddling it.
        var ops = Steady(Kill - 60, Kill + 30, 10);

        Assert.Equal(KillRecovery.Window, KillRecovery.Measure(ops.Invoked, ops.Done, Kill, horizon: Kill + 30).RecoveredSeconds);
    }

    [Fact]
    public void Recovered_OnlyAfterTheHorizon_IsNone()
    {
        var ops = Steady(Kill - 60, Kill, 10);
        Steady(Kill + 10, Kill + 30, 10, ops);

        Assert.Null(KillRecovery.Measure(ops.Invoked, ops.Done, Kill, horizon: Kill + 9).RecoveredSeconds);
    }

    [Fact]
    public void Measure_RefusesUnpairedTimesAndAHorizonBeforeTheKill()
    {
        Assert.Throws<ArgumentException>(() => KillRecovery.Measure([1, 2], [1.5], Kill, Kill + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => KillRecovery.Measure([], [], Kill, Kill - 1));
    }
}
