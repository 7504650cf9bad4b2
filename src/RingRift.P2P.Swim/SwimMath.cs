namespace RingRift.P2P.Swim;

/// <summary>
/// The timing formulas of SWIM (Das, Gupta, Motivala 2002) and Lifeguard (Dadgar et al. 2018) as
/// pure functions: no clock, no state, so each one has a table test and the simulator and the node
/// compute exactly the same numbers.
/// </summary>
/// <remarks>
/// Conventions shared by every method:
/// <list type="bullet">
/// <item><c>n</c> is the number of members the caller knows of (itself included), as in memberlist.</item>
/// <item>Durations are scaled in <see cref="TimeSpan"/> ticks and rounded to the nearest tick
/// (the suspicion shrink is rounded down, see <see cref="SuspicionTimeout"/>).</item>
/// <item>Bad input throws <see cref="ArgumentOutOfRangeException"/> naming the argument, its value
/// and the allowed range; a result beyond <see cref="TimeSpan.MaxValue"/> throws <see cref="OverflowException"/>.</item>
/// </list>
/// </remarks>
public static class SwimMath
{
    /// <summary>
    /// The shortest suspicion timeout: <c>suspicionMult × max(1, log10(max(1, n))) × probeInterval</c>.
    /// </summary>
    /// <remarks>
    /// This is memberlist's <c>suspicionTimeout</c>: the log10 factor gives gossip about the suspicion
    /// time to reach a cluster that grows (SWIM §4.2/§5 dissemination is O(log n) rounds), and the
    /// inner/outer <c>max</c> keep the factor at 1 for clusters of up to 10 members (and for n = 0).
    /// Examples with mult 4 and 1 s: n ≤ 10 → 4 s, n = 64 → ≈ 7.22 s, n = 512 → ≈ 10.84 s.
    /// </remarks>
    /// <param name="suspicionMult">Multiplier, finite and &gt; 0 (configuration requires ≥ 1).</param>
    /// <param name="n">Known members, ≥ 0.</param>
    /// <param name="probeInterval">Protocol period, &gt; 0.</param>
    public static TimeSpan SuspicionMinTimeout(double suspicionMult, int n, TimeSpan probeInterval)
    {
        RequirePositiveFinite(suspicionMult, nameof(suspicionMult));
        RequireNonNegative(n, nameof(n));
        RequirePositive(probeInterval, nameof(probeInterval));

        double nodeScale = Math.Max(1.0, Math.Log10(Math.Max(1.0, n)));
        return Scale(probeInterval, suspicionMult * nodeScale, "suspicion min timeout");
    }

    /// <summary>
    /// <see cref="SuspicionMinTimeout(double, int, TimeSpan)"/> but never below <paramref name="floor"/>:
    /// <c>max(floor, suspicionMult × max(1, log10(max(1, n))) × probeInterval)</c>.
    /// </summary>
    /// <remarks>
    /// The floor is the stall budget (docs/membership.md, "Why a stalled node is not declared dead"): a node that stops processing
    /// for S seconds is indistinguishable from a dead one, and confirmations cannot tell the two apart,
    /// so the effective timeout must outlast S plus the time to learn of the suspicion and refute it.
    /// For S = 2 s that is ≈ 2.5 s. A zero floor gives memberlist's formula unchanged.
    /// </remarks>
    /// <param name="floor">Lowest allowed result, ≥ 0.</param>
    public static TimeSpan SuspicionMinTimeout(double suspicionMult, int n, TimeSpan probeInterval, TimeSpan floor)
    {
        RequireNonNegative(floor, nameof(floor));

        TimeSpan formula = SuspicionMinTimeout(suspicionMult, n, probeInterval);
        return formula < floor ? floor : formula;
    }

    /// <summary>The longest suspicion timeout (no confirmations yet): <c>maxMult × min</c> (Lifeguard §IV-B).</summary>
    /// <param name="maxMult">Multiplier, finite and ≥ 1 (so max ≥ min).</param>
    /// <param name="min">Minimum suspicion timeout, ≥ 0.</param>
    public static TimeSpan SuspicionMaxTimeout(double maxMult, TimeSpan min)
    {
        if (!double.IsFinite(maxMult) || maxMult < 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMult), maxMult, $"{nameof(maxMult)} is {maxMult}; allowed: a finite number >= 1 (max timeout must not be below min).");
        }

        RequireNonNegative(min, nameof(min));
        return Scale(min, maxMult, "suspicion max timeout");
    }

    /// <summary>
    /// How many independent confirmations a suspicion waits for before it runs at its minimum:
    /// <c>clamp(floor(suspicionMult) − 2, 0, n − 2)</c>.
    /// </summary>
    /// <remarks>
    /// memberlist's rule: the suspect and the local node cannot confirm, so at most n − 2 others can;
    /// with the LAN multiplier 4 a suspicion expects 2 confirmations. Returns 0 for n ≤ 2 or
    /// suspicionMult &lt; 3, in which case the suspicion runs at its minimum from the start.
    /// </remarks>
    public static int ExpectedConfirmations(double suspicionMult, int n)
    {
        RequirePositiveFinite(suspicionMult, nameof(suspicionMult));
        RequireNonNegative(n, nameof(n));

        double wanted = Math.Floor(suspicionMult) - 2.0;
        double possible = n - 2.0;
        double k = Math.Min(wanted, possible);
        return k <= 0 ? 0 : (int)k;
    }

    /// <summary>
    /// Lifeguard §IV-B dynamic suspicion timeout after <paramref name="confirmations"/> of
    /// <paramref name="expectedConfirmations"/> (k) independent confirmations:
    /// <c>max(min, max − (max − min) · log(c + 1) / log(k + 1))</c>.
    /// </summary>
    /// <remarks>
    /// Edge cases, decided here once:
    /// <list type="bullet">
    /// <item>k = 0: the formula is 0/0; the result is <paramref name="min"/> (nobody can confirm, so
    /// waiting for confirmations only delays detection; memberlist does the same).</item>
    /// <item>c ≥ k: the result is exactly <paramref name="min"/>; confirmations beyond k are ignored.</item>
    /// <item>The shrink <c>(max − min) · log(c + 1)/log(k + 1)</c> is rounded down to whole ticks, so the
    /// timeout is never shorter than the exact value (rounding favours no false positives).</item>
    /// </list>
    /// </remarks>
    /// <param name="confirmations">Independent confirmations so far (c), ≥ 0.</param>
    /// <param name="expectedConfirmations">Confirmations that bring the timeout to min (k), ≥ 0.</param>
    /// <param name="min">Timeout after k confirmations, ≥ 0.</param>
    /// <param name="max">Timeout with no confirmations, ≥ min.</param>
    public static TimeSpan SuspicionTimeout(int confirmations, int expectedConfirmations, TimeSpan min, TimeSpan max)
    {
        RequireNonNegative(confirmations, nameof(confirmations));
        RequireNonNegative(expectedConfirmations, nameof(expectedConfirmations));
        RequireNonNegative(min, nameof(min));
        if (max < min)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"{nameof(max)} is {max}; allowed: >= {nameof(min)} ({min}).");
        }

        if (expectedConfirmations == 0 || confirmations >= expectedConfirmations)
        {
            return min; // nothing (more) to wait for
        }

        double fraction = Math.Log(confirmations + 1.0) / Math.Log(expectedConfirmations + 1.0);
        long shrinkTicks = (long)Math.Floor((max - min).Ticks * fraction);
        TimeSpan timeout = max - TimeSpan.FromTicks(shrinkTicks);
        return timeout < min ? min : timeout;
    }

    /// <summary>
    /// Time left on a suspicion: <see cref="SuspicionTimeout"/> − <paramref name="elapsed"/>.
    /// </summary>
    /// <returns>
    /// The remaining time; zero or negative means the suspicion has expired (the caller declares the
    /// member dead now). The value is not clamped so a caller can tell how late it is.
    /// </returns>
    /// <param name="elapsed">Time since the suspicion started, ≥ 0.</param>
    public static TimeSpan RemainingSuspicionTime(int confirmations, int expectedConfirmations, TimeSpan elapsed, TimeSpan min, TimeSpan max)
    {
        RequireNonNegative(elapsed, nameof(elapsed));
        return SuspicionTimeout(confirmations, expectedConfirmations, min, max) - elapsed;
    }

    /// <summary>
    /// How many times one gossip update is piggybacked: <c>retransmitMult × ceil(log10(n + 1))</c>
    /// (SWIM §4.1 infection-style dissemination; memberlist's <c>retransmitLimit</c>).
    /// </summary>
    /// <remarks>
    /// <c>ceil(log10(n + 1))</c> equals the number of decimal digits of n (0 for n = 0), which is how it is
    /// computed, so powers of ten never suffer floating-point error. n = 1..9 → 1, 10..99 → 2, 100..999 → 3.
    /// </remarks>
    /// <param name="retransmitMult">Multiplier, ≥ 0.</param>
    /// <param name="n">Known members, ≥ 0.</param>
    public static int RetransmitLimit(int retransmitMult, int n)
    {
        RequireNonNegative(retransmitMult, nameof(retransmitMult));
        RequireNonNegative(n, nameof(n));

        int digits = 0;
        for (int rest = n; rest > 0; rest /= 10)
        {
            digits++;
        }

        return checked(retransmitMult * digits);
    }

    /// <summary>Lifeguard §IV-A local health multiplier on the probe timeout: <c>timeout × (awarenessScore + 1)</c>.</summary>
    /// <param name="timeout">Configured probe timeout, ≥ 0.</param>
    /// <param name="awarenessScore">Local health score, ≥ 0 (0 = healthy).</param>
    public static TimeSpan ScaledProbeTimeout(TimeSpan timeout, int awarenessScore)
    {
        RequireNonNegative(timeout, nameof(timeout));
        return ScaleByHealth(timeout, awarenessScore);
    }

    /// <summary>Lifeguard §IV-A local health multiplier on the protocol period: <c>interval × (awarenessScore + 1)</c>.</summary>
    /// <param name="interval">Configured probe interval, ≥ 0.</param>
    /// <param name="awarenessScore">Local health score, ≥ 0 (0 = healthy).</param>
    public static TimeSpan ScaledProbeInterval(TimeSpan interval, int awarenessScore)
    {
        RequireNonNegative(interval, nameof(interval));
        return ScaleByHealth(interval, awarenessScore);
    }

    /// <summary>Cluster size up to which <see cref="ScaledPushPullInterval"/> leaves the interval alone.</summary>
    public const int PushPullScaleThreshold = 32;

    /// <summary>
    /// The push-pull period for n known members: the configured interval up to 32 members, then
    /// <c>interval × (ceil(log2(n) − log2(32)) + 1)</c> (memberlist's <c>pushPullScale</c>): 2× at 33–64,
    /// 3× at 65–128, 5× at 257–512. A full-state exchange costs O(n) bytes, so stretching it with the
    /// cluster keeps anti-entropy from dominating the traffic of large clusters.
    /// </summary>
    /// <param name="interval">Configured push-pull interval, ≥ 0.</param>
    /// <param name="n">Known members (this node included), ≥ 0.</param>
    public static TimeSpan ScaledPushPullInterval(TimeSpan interval, int n)
    {
        RequireNonNegative(interval, nameof(interval));
        RequireNonNegative(n, nameof(n));
        if (n <= PushPullScaleThreshold)
        {
            return interval;
        }

        // ceil(log2(n) - 5) computed exactly on integers: the smallest k with 32 * 2^k >= n.
        int k = 0;
        for (long reach = PushPullScaleThreshold; reach < n; reach *= 2)
        {
            k++;
        }

        return TimeSpan.FromTicks(checked(interval.Ticks * (k + 1L)));
    }

    private static TimeSpan ScaleByHealth(TimeSpan value, int awarenessScore)
    {
        RequireNonNegative(awarenessScore, nameof(awarenessScore));
        long ticks = checked(value.Ticks * (awarenessScore + 1L));
        return TimeSpan.FromTicks(ticks);
    }

    private static TimeSpan Scale(TimeSpan value, double factor, string what)
    {
        double ticks = Math.Round(value.Ticks * factor, MidpointRounding.AwayFromZero);
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            throw new OverflowException($"The {what} ({value} × {factor}) exceeds TimeSpan.MaxValue.");
        }

        return TimeSpan.FromTicks((long)ticks);
    }

    private static void RequireNonNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; allowed: >= 0.");
        }
    }

    private static void RequireNonNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; allowed: >= 00:00:00.");
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; allowed: > 00:00:00.");
        }
    }

    private static void RequirePositiveFinite(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0.0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; allowed: a finite number > 0.");
        }
    }
}
