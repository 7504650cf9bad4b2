namespace RingRift.P2P.Swim.Tests;

/// <summary>Lifeguard §IV-A local health awareness.</summary>
public sealed class AwarenessTests
{
    [Fact]
    public void Awareness_StartsHealthy()
    {
        var awareness = new Awareness(8);

        Assert.Equal(0, awareness.Score);
        Assert.Equal(8, awareness.MaxMultiplier);
        Assert.Equal(TimeSpan.FromMilliseconds(500), awareness.ScaleTimeout(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void Awareness_EventDeltas_AreLifeguardsSigns()
    {
        // Evidence against ourselves raises the score; a successful probe lowers it.
        Assert.Equal(1, Awareness.DeltaMissedNack);
        Assert.Equal(1, Awareness.DeltaFailedProbe);
        Assert.Equal(-1, Awareness.DeltaSuccessfulProbe);
        Assert.Equal(1, Awareness.DeltaRefutedSuspicion);
    }

    [Fact]
    public void Awareness_ClampsAtMaxMinusOne()
    {
        var awareness = new Awareness(8);

        for (int i = 1; i <= 7; i++)
        {
            Assert.Equal(i, awareness.ApplyDelta(Awareness.DeltaFailedProbe));
        }

        Assert.Equal(7, awareness.ApplyDelta(Awareness.DeltaMissedNack));
        Assert.Equal(7, awareness.ApplyDelta(100));
        Assert.Equal(7, awareness.ApplyDelta(int.MaxValue)); // no overflow
        Assert.Equal(7, awareness.Score);
    }

    [Fact]
    public void Awareness_ClampsAtZero()
    {
        var awareness = new Awareness(8);
        awareness.ApplyDelta(2);

        Assert.Equal(1, awareness.ApplyDelta(Awareness.DeltaSuccessfulProbe));
        Assert.Equal(0, awareness.ApplyDelta(Awareness.DeltaSuccessfulProbe));
        Assert.Equal(0, awareness.ApplyDelta(Awareness.DeltaSuccessfulProbe));
        Assert.Equal(0, awareness.ApplyDelta(int.MinValue)); // no overflow
    }

    [Fact]
    public void Awareness_RecoversAfterClampingAtTheTop()
    {
        // Saturating does not bank extra score: one success after many failures moves it down at once.
        var awareness = new Awareness(4);
        awareness.ApplyDelta(50);

        Assert.Equal(2, awareness.ApplyDelta(Awareness.DeltaSuccessfulProbe));
    }

    [Fact]
    public void Awareness_WithMaxMultiplierOne_NeverScales()
    {
        var awareness = new Awareness(1);

        Assert.Equal(0, awareness.ApplyDelta(5));
        Assert.Equal(TimeSpan.FromSeconds(1), awareness.ScaleTimeout(TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(0, 300)]
    [InlineData(1, 600)]
    [InlineData(3, 1_200)]
    [InlineData(7, 2_400)]
    [InlineData(20, 2_400)] // clamped to 7
    public void Awareness_ScaleTimeout_MultipliesByScorePlusOne(int delta, int expectedMs)
    {
        var awareness = new Awareness(8);
        awareness.ApplyDelta(delta);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), awareness.ScaleTimeout(TimeSpan.FromMilliseconds(300)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Awareness_RejectsMaxMultiplierBelowOne(int max)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Awareness(max));

        Assert.Equal("maxMultiplier", ex.ParamName);
        Assert.Contains(">= 1", ex.Message);
    }

    [Fact]
    public void Awareness_ConcurrentDeltas_AreNotLost()
    {
        // +1 and −1 in equal numbers from many threads, starting mid-range and never near a bound
        // in total, so a lost update would show as a score other than the start.
        var awareness = new Awareness(1_000_000);
        awareness.ApplyDelta(500_000);

        Parallel.For(0, 200_000, i => awareness.ApplyDelta(i % 2 == 0 ? 1 : -1));

        Assert.Equal(500_000, awareness.Score);
    }
}
