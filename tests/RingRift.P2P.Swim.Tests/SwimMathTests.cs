namespace RingRift.P2P.Swim.Tests;

public sealed class SwimMathTests
{
    private static TimeSpan Ticks(long ticks) => TimeSpan.FromTicks(ticks);

    // ---- SuspicionMinTimeout: mult × max(1, log10(max(1, n))) × interval (Lifeguard §IV-B, memberlist) ----

    [Theory]
    [InlineData(0, 40_000_000L)]      // n = 0 → node scale 1
    [InlineData(1, 40_000_000L)]      // log10(1) = 0 → 1
    [InlineData(9, 40_000_000L)]      // log10(9) ≈ 0.95 → 1
    [InlineData(10, 40_000_000L)]     // log10(10) = 1
    [InlineData(64, 72_247_199L)]     // 4 × 1.80618 s = 7.2247199 s
    [InlineData(100, 80_000_000L)]    // log10(100) = 2
    [InlineData(512, 108_370_798L)]   // 4 × 2.70927 s = 10.8370798 s
    [InlineData(1000, 120_000_000L)]  // log10(1000) = 3
    public void SuspicionMinTimeout_GrowsWithLog10OfMembers_NeverBelowOneInterval(int n, long expectedTicks)
    {
        Assert.Equal(Ticks(expectedTicks), SwimMath.SuspicionMinTimeout(4, n, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(10, 12_000_000L)]  // 4 × 300 ms = 1.2 s
    [InlineData(64, 21_674_160L)]  // 4 × 1.80618 × 0.3 s
    [InlineData(512, 32_511_240L)] // 4 × 2.70927 × 0.3 s
    public void SuspicionMinTimeout_ScalesWithTheProbeInterval(int n, long expectedTicks)
    {
        Assert.Equal(Ticks(expectedTicks), SwimMath.SuspicionMinTimeout(4, n, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void SuspicionMinTimeout_AcceptsFractionalMultipliers()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(2500), SwimMath.SuspicionMinTimeout(2.5, 10, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(10, 25_000_000L)]  // formula 1.2 s < floor 2.5 s → floor (swim-timing.md stall budget)
    [InlineData(64, 25_000_000L)]  // formula ≈ 2.17 s < floor
    [InlineData(512, 32_511_240L)] // formula ≈ 3.25 s > floor → formula
    public void SuspicionMinTimeout_WithFloor_NeverDropsBelowTheStallBudget(int n, long expectedTicks)
    {
        TimeSpan actual = SwimMath.SuspicionMinTimeout(4, n, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2.5));

        Assert.Equal(Ticks(expectedTicks), actual);
    }

    [Fact]
    public void SuspicionMinTimeout_WithZeroFloor_IsTheFormula()
    {
        Assert.Equal(
            SwimMath.SuspicionMinTimeout(4, 64, TimeSpan.FromSeconds(1)),
            SwimMath.SuspicionMinTimeout(4, 64, TimeSpan.FromSeconds(1), TimeSpan.Zero));
    }

    [Theory]
    [InlineData(0.0, 10, 1000, "suspicionMult")]
    [InlineData(-1.0, 10, 1000, "suspicionMult")]
    [InlineData(double.NaN, 10, 1000, "suspicionMult")]
    [InlineData(double.PositiveInfinity, 10, 1000, "suspicionMult")]
    [InlineData(4.0, -1, 1000, "n")]
    [InlineData(4.0, 10, 0, "probeInterval")]
    [InlineData(4.0, 10, -5, "probeInterval")]
    public void SuspicionMinTimeout_RejectsBadInput_NamingTheArgument(double mult, int n, int intervalMs, string name)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SwimMath.SuspicionMinTimeout(mult, n, TimeSpan.FromMilliseconds(intervalMs)));

        Assert.Equal(name, ex.ParamName);
        Assert.Contains("allowed", ex.Message);
    }

    [Fact]
    public void SuspicionMinTimeout_RejectsNegativeFloor()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SwimMath.SuspicionMinTimeout(4, 10, TimeSpan.FromSeconds(1), TimeSpan.FromTicks(-1)));

        Assert.Equal("floor", ex.ParamName);
    }

    [Fact]
    public void SuspicionMinTimeout_ThrowsOverflow_BeyondTimeSpanMax()
    {
        Assert.Throws<OverflowException>(() => SwimMath.SuspicionMinTimeout(1e9, 10, TimeSpan.FromDays(1e6)));
    }

    // ---- SuspicionMaxTimeout: maxMult × min (Lifeguard §IV-B) ----

    [Theory]
    [InlineData(6.0, 4_000, 24_000)]  // memberlist LAN: 6 × 4 s
    [InlineData(1.0, 4_000, 4_000)]   // max = min: no dynamic range
    [InlineData(6.0, 2_500, 15_000)]  // default floor 2.5 s × 6
    [InlineData(1.5, 2_000, 3_000)]
    [InlineData(6.0, 0, 0)]
    public void SuspicionMaxTimeout_IsMultipleOfMin(double maxMult, int minMs, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), SwimMath.SuspicionMaxTimeout(maxMult, TimeSpan.FromMilliseconds(minMs)));
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void SuspicionMaxTimeout_RejectsMultiplierBelowOne(double maxMult)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SwimMath.SuspicionMaxTimeout(maxMult, TimeSpan.FromSeconds(1)));

        Assert.Equal("maxMult", ex.ParamName);
    }

    [Fact]
    public void SuspicionMaxTimeout_RejectsNegativeMin()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SwimMath.SuspicionMaxTimeout(6, TimeSpan.FromTicks(-1)));

        Assert.Equal("min", ex.ParamName);
    }

    // ---- ExpectedConfirmations: clamp(floor(mult) − 2, 0, n − 2) (memberlist) ----

    [Theory]
    [InlineData(4.0, 0, 0)]
    [InlineData(4.0, 1, 0)]
    [InlineData(4.0, 2, 0)]   // only the suspect and us: nobody else can confirm
    [InlineData(4.0, 3, 1)]   // one other member
    [InlineData(4.0, 4, 2)]
    [InlineData(4.0, 64, 2)]
    [InlineData(4.0, 512, 2)]
    [InlineData(3.0, 64, 1)]
    [InlineData(2.0, 64, 0)]
    [InlineData(4.9, 64, 2)]  // fractional multiplier rounds down
    [InlineData(10.0, 5, 3)]
    public void ExpectedConfirmations_IsMultMinusTwo_CappedByOtherMembers(double mult, int n, int expected)
    {
        Assert.Equal(expected, SwimMath.ExpectedConfirmations(mult, n));
    }

    // ---- SuspicionTimeout / RemainingSuspicionTime (Lifeguard §IV-B) ----
    // min 2 s, max 12 s, k = 3: timeout = 12 − 10 · ln(c + 1)/ln 4

    [Theory]
    [InlineData(0, 120_000_000L)] // no confirmations → max
    [InlineData(1, 70_000_000L)]  // ln 2 / ln 4 = 1/2 → 12 − 5 = 7 s
    [InlineData(2, 40_751_875L)]  // ln 3 / ln 4 ≈ 0.79248 → ≈ 4.075 s
    [InlineData(3, 20_000_000L)]  // c = k → min
    [InlineData(4, 20_000_000L)]  // beyond k → still min
    [InlineData(100, 20_000_000L)]
    public void SuspicionTimeout_ShrinksLogarithmicallyFromMaxToMin(int confirmations, long expectedTicks)
    {
        TimeSpan actual = SwimMath.SuspicionTimeout(confirmations, 3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(12));

        Assert.Equal(Ticks(expectedTicks), actual);
    }

    [Fact]
    public void SuspicionTimeout_IsStrictlyDecreasingUpToK()
    {
        TimeSpan min = TimeSpan.FromSeconds(2.5), max = TimeSpan.FromSeconds(15);
        TimeSpan previous = TimeSpan.MaxValue;
        for (int c = 0; c <= 5; c++)
        {
            TimeSpan timeout = SwimMath.SuspicionTimeout(c, 5, min, max);
            Assert.True(timeout < previous, $"c = {c}: {timeout} is not below {previous}");
            Assert.InRange(timeout, min, max);
            previous = timeout;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void SuspicionTimeout_WithNoExpectedConfirmations_IsMin(int confirmations)
    {
        // k = 0 makes the formula 0/0; decided: run at min (nobody can confirm).
        Assert.Equal(TimeSpan.FromSeconds(2), SwimMath.SuspicionTimeout(confirmations, 0, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(12)));
    }

    [Fact]
    public void SuspicionTimeout_WithMinEqualToMax_IsConstant()
    {
        for (int c = 0; c <= 3; c++)
        {
            Assert.Equal(TimeSpan.FromSeconds(4), SwimMath.SuspicionTimeout(c, 3, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4)));
        }
    }

    [Theory]
    [InlineData(0, 0, 120_000_000L)]
    [InlineData(0, 119_999_999, 1L)]       // one tick before expiry
    [InlineData(0, 120_000_000, 0L)]       // exactly expired
    [InlineData(0, 130_000_000, -10_000_000L)] // elapsed beyond timeout → negative: expired 1 s ago
    [InlineData(1, 30_000_000, 40_000_000L)]   // 7 s − 3 s
    [InlineData(1, 80_000_000, -10_000_000L)]  // a confirmation after 8 s: already past 7 s
    [InlineData(3, 10_000_000, 10_000_000L)]   // min 2 s − 1 s
    [InlineData(3, 25_000_000, -5_000_000L)]
    public void RemainingSuspicionTime_IsTimeoutMinusElapsed_NegativeMeansExpired(int confirmations, long elapsedTicks, long expectedTicks)
    {
        TimeSpan remaining = SwimMath.RemainingSuspicionTime(confirmations, 3, Ticks(elapsedTicks), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(12));

        Assert.Equal(Ticks(expectedTicks), remaining);
    }

    [Fact]
    public void RemainingSuspicionTime_MatchesMemberlistTable()
    {
        // memberlist suspicion_test.go cases (min 2 s, max 30 s, k = 3), our shrink rounded down to ticks
        // rather than the timeout to milliseconds, so compare to the millisecond.
        TimeSpan min = TimeSpan.FromSeconds(2), max = TimeSpan.FromSeconds(30);
        Assert.Equal(30_000, Math.Floor(SwimMath.RemainingSuspicionTime(0, 3, TimeSpan.Zero, min, max).TotalMilliseconds));
        Assert.Equal(14_000, Math.Floor(SwimMath.RemainingSuspicionTime(1, 3, TimeSpan.FromSeconds(2), min, max).TotalMilliseconds));
        Assert.Equal(4_810, Math.Floor(SwimMath.RemainingSuspicionTime(2, 3, TimeSpan.FromSeconds(3), min, max).TotalMilliseconds));
        Assert.Equal(-2_000, Math.Floor(SwimMath.RemainingSuspicionTime(3, 3, TimeSpan.FromSeconds(4), min, max).TotalMilliseconds));
        Assert.Equal(-3_000, Math.Floor(SwimMath.RemainingSuspicionTime(4, 3, TimeSpan.FromSeconds(5), min, max).TotalMilliseconds));
    }

    [Theory]
    [InlineData(-1, 3, 0, 2, 12, "confirmations")]
    [InlineData(0, -1, 0, 2, 12, "expectedConfirmations")]
    [InlineData(0, 3, -1, 2, 12, "elapsed")]
    [InlineData(0, 3, 0, -1, 12, "min")]
    [InlineData(0, 3, 0, 5, 4, "max")]
    public void RemainingSuspicionTime_RejectsBadInput_NamingTheArgument(int c, int k, int elapsedS, int minS, int maxS, string name)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            SwimMath.RemainingSuspicionTime(c, k, TimeSpan.FromSeconds(elapsedS), TimeSpan.FromSeconds(minS), TimeSpan.FromSeconds(maxS)));

        Assert.Equal(name, ex.ParamName);
    }

    // ---- RetransmitLimit: mult × ceil(log10(n + 1)) (SWIM §4.1, memberlist) ----

    [Theory]
    [InlineData(4, 0, 0)]
    [InlineData(4, 1, 4)]
    [InlineData(4, 9, 4)]     // log10(10) = 1 exactly
    [InlineData(4, 10, 8)]    // log10(11) > 1
    [InlineData(4, 64, 8)]
    [InlineData(4, 99, 8)]    // log10(100) = 2 exactly
    [InlineData(4, 100, 12)]
    [InlineData(4, 512, 12)]
    [InlineData(4, 999, 12)]
    [InlineData(4, 1000, 16)]
    [InlineData(3, 512, 9)]
    [InlineData(0, 512, 0)]
    [InlineData(1, int.MaxValue, 10)]
    public void RetransmitLimit_IsMultTimesCeilLog10OfNPlusOne(int mult, int n, int expected)
    {
        Assert.Equal(expected, SwimMath.RetransmitLimit(mult, n));
    }

    // ---- ScaledPushPullInterval: × (ceil(log2(n) − log2(32)) + 1) beyond 32 members (memberlist pushPullScale) ----

    [Theory]
    [InlineData(0, 30)]
    [InlineData(8, 30)]
    [InlineData(32, 30)]
    [InlineData(33, 60)]    // log2(33) − 5 = 0.04 → ceil 1 → ×2
    [InlineData(64, 60)]    // exactly 1 → ×2
    [InlineData(65, 90)]
    [InlineData(128, 90)]
    [InlineData(512, 150)]  // 9 − 5 = 4 → ×5
    [InlineData(513, 180)]
    public void ScaledPushPullInterval_StretchesTheIntervalBeyondThirtyTwoMembers(int n, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), SwimMath.ScaledPushPullInterval(TimeSpan.FromSeconds(30), n));
    }

    [Fact]
    public void ScaledPushPullInterval_AgreesWithTheFloatingPointFormula()
    {
        for (int n = 33; n <= 100_000; n++)
        {
            int factor = (int)Math.Ceiling(Math.Log2(n) - 5) + 1;
            Assert.Equal(TimeSpan.FromSeconds(factor), SwimMath.ScaledPushPullInterval(TimeSpan.FromSeconds(1), n));
        }
    }

    [Fact]
    public void RetransmitLimit_AgreesWithTheFloatingPointFormula()
    {
        for (int n = 0; n <= 100_000; n++)
        {
            int formula = (int)Math.Ceiling(Math.Log10(n + 1.0));
            Assert.Equal(formula, SwimMath.RetransmitLimit(1, n));
        }
    }

    [Theory]
    [InlineData(-1, 10, "retransmitMult")]
    [InlineData(4, -1, "n")]
    public void RetransmitLimit_RejectsNegatives(int mult, int n, string name)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SwimMath.RetransmitLimit(mult, n));

        Assert.Equal(name, ex.ParamName);
    }

    // ---- Local health multiplier: value × (score + 1) (Lifeguard §IV-A) ----

    [Theory]
    [InlineData(0, 500)]  // healthy: unchanged
    [InlineData(1, 1_000)]
    [InlineData(3, 2_000)]
    [InlineData(7, 4_000)] // top of the default range (max multiplier 8)
    public void ScaledProbeTimeout_MultipliesByScorePlusOne(int score, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), SwimMath.ScaledProbeTimeout(TimeSpan.FromMilliseconds(500), score));
    }

    [Theory]
    [InlineData(0, 300)]
    [InlineData(1, 600)]
    [InlineData(7, 2_400)]
    public void ScaledProbeInterval_MultipliesByScorePlusOne(int score, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), SwimMath.ScaledProbeInterval(TimeSpan.FromMilliseconds(300), score));
    }

    [Fact]
    public void ScaledProbeTimeout_RejectsNegativeScoreAndTimeout()
    {
        Assert.Equal("awarenessScore", Assert.Throws<ArgumentOutOfRangeException>(() => SwimMath.ScaledProbeTimeout(TimeSpan.FromSeconds(1), -1)).ParamName);
        Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => SwimMath.ScaledProbeTimeout(TimeSpan.FromTicks(-1), 0)).ParamName);
        Assert.Equal("interval", Assert.Throws<ArgumentOutOfRangeException>(() => SwimMath.ScaledProbeInterval(TimeSpan.FromTicks(-1), 0)).ParamName);
    }

    [Fact]
    public void ScaledProbeInterval_ThrowsOverflow_BeyondTimeSpanMax()
    {
        Assert.Throws<OverflowException>(() => SwimMath.ScaledProbeInterval(TimeSpan.MaxValue, 1));
    }
}
