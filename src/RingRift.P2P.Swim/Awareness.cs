namespace RingRift.P2P.Swim;

/// <summary>
/// Lifeguard §IV-A local health awareness: a score in <c>[0, maxMultiplier − 1]</c> that rises when this
/// node sees evidence that it, not its peers, is slow (missed nacks, failed probes, being suspected),
/// and falls with each successful probe. The probe interval and timeout are multiplied by
/// <c>score + 1</c>, so a struggling node probes less often and waits longer before accusing others.
/// </summary>
/// <remarks>Thread-safe: every member may be called from any thread.</remarks>
public sealed class Awareness
{
    /// <summary>An indirect prober did not send the nack it should have (per missing nack): our own
    /// messages are probably not getting through or being processed.</summary>
    public const int DeltaMissedNack = 1;

    /// <summary>A probe failed and there were no indirect probers whose nacks could explain it.</summary>
    public const int DeltaFailedProbe = 1;

    /// <summary>A probe got its ack in time: evidence that this node is healthy.</summary>
    public const int DeltaSuccessfulProbe = -1;

    /// <summary>We had to refute a suspicion about ourselves: others could not hear from us in time.</summary>
    public const int DeltaRefutedSuspicion = 1;

    private readonly Lock _gate = new();
    private int _score;

    /// <summary>Creates a healthy (score 0) awareness.</summary>
    /// <param name="maxMultiplier">Largest multiplier (<c>score + 1</c>) ever applied, ≥ 1; memberlist and
    /// <see cref="SwimConfig.AwarenessMaxMultiplier"/> use 8.</param>
    public Awareness(int maxMultiplier)
    {
        if (maxMultiplier < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMultiplier), maxMultiplier, $"{nameof(maxMultiplier)} is {maxMultiplier}; allowed: >= 1.");
        }

        MaxMultiplier = maxMultiplier;
    }

    /// <summary>The largest multiplier; the score never exceeds <c>MaxMultiplier − 1</c>.</summary>
    public int MaxMultiplier { get; }

    /// <summary>Current score, 0 (healthy) to <c>MaxMultiplier − 1</c>.</summary>
    public int Score
    {
        get
        {
            lock (_gate)
            {
                return _score;
            }
        }
    }

    /// <summary>Adds <paramref name="delta"/> (use the <c>Delta…</c> constants) and clamps the score to
    /// <c>[0, MaxMultiplier − 1]</c>.</summary>
    /// <returns>The score after the change.</returns>
    public int ApplyDelta(int delta)
    {
        lock (_gate)
        {
            long raw = (long)_score + delta; // long: no overflow for extreme deltas
            _score = (int)Math.Clamp(raw, 0L, MaxMultiplier - 1L);
            return _score;
        }
    }

    /// <summary>Scales a probe timeout or interval by the current health: <c>value × (Score + 1)</c>.</summary>
    public TimeSpan ScaleTimeout(TimeSpan value) => SwimMath.ScaledProbeTimeout(value, Score);
}
