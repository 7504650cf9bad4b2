namespace RingRift.P2P.Election;

/// <summary>
/// Timing of the Bully election with voter leases. Only <see cref="LeaseDuration"/> usually needs
/// setting; the others derive from it unless set explicitly. Call <see cref="Validate"/> (the
/// election does) before use.
/// </summary>
public sealed record BullyOptions
{
    private readonly TimeSpan? _renewInterval;
    private readonly TimeSpan? _tickInterval;
    private readonly TimeSpan? _safetyMargin;
    private readonly TimeSpan? _requestTimeout;

    /// <summary>How long a voter's grant lasts from the moment it is given.</summary>
    /// <value>30 seconds by default (the seed's <c>LEADER_LEASE_DURATION</c>).</value>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a leader renews its grants.</summary>
    /// <value><see cref="LeaseDuration"/> / 3 by default (10 s): two renewals can fail before the lease ends.</value>
    public TimeSpan RenewInterval
    {
        get => _renewInterval ?? LeaseDuration / 3;
        init => _renewInterval = value;
    }

    /// <summary>How often the host calls <see cref="BullyElection.TickAsync"/>.</summary>
    /// <value>min(1 s, <see cref="LeaseDuration"/> / 6) by default.</value>
    public TimeSpan TickInterval
    {
        get => _tickInterval ?? Min(TimeSpan.FromSeconds(1), LeaseDuration / 6);
        init => _tickInterval = value;
    }

    /// <summary>
    /// How long before the earliest possible voter expiry the leader stops acting. Covers clock-rate
    /// drift between leader and voters.
    /// </summary>
    /// <value><see cref="LeaseDuration"/> / 10 by default (3 s).</value>
    /// <remarks>A leader whose grants were requested at t0 acts until t0 + LeaseDuration − SafetyMargin;
    /// every voter granted at or after t0, so its grant lasts until at least t0 + LeaseDuration.</remarks>
    public TimeSpan SafetyMargin
    {
        get => _safetyMargin ?? LeaseDuration / 10;
        init => _safetyMargin = value;
    }

    /// <summary>How long one probe, lease request or announcement may take before the peer counts as unreachable.</summary>
    /// <value>min(2 s, <see cref="LeaseDuration"/> / 6) by default.</value>
    public TimeSpan RequestTimeout
    {
        get => _requestTimeout ?? Min(TimeSpan.FromSeconds(2), LeaseDuration / 6);
        init => _requestTimeout = value;
    }

    /// <summary>This node's address, sent in announcements so followers can forward to the leader. Null by default.</summary>
    public string? SelfAddress { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that is out of range.</summary>
    public BullyOptions Validate()
    {
        Require(LeaseDuration > TimeSpan.Zero, nameof(LeaseDuration), LeaseDuration, "must be greater than zero");
        Require(SafetyMargin >= TimeSpan.Zero && SafetyMargin < LeaseDuration, nameof(SafetyMargin), SafetyMargin,
            $"must be >= 0 and < LeaseDuration ({LeaseDuration})");
        var acting = LeaseDuration - SafetyMargin;
        Require(RenewInterval > TimeSpan.Zero && RenewInterval < acting, nameof(RenewInterval), RenewInterval,
            $"must be > 0 and < LeaseDuration - SafetyMargin ({acting}) so a renewal is tried before the lease ends");
        Require(TickInterval > TimeSpan.Zero && TickInterval <= RenewInterval, nameof(TickInterval), TickInterval,
            $"must be > 0 and <= RenewInterval ({RenewInterval})");
        Require(RequestTimeout > TimeSpan.Zero && RequestTimeout < acting, nameof(RequestTimeout), RequestTimeout,
            $"must be > 0 and < LeaseDuration - SafetyMargin ({acting})");
        return this;
    }

    private static void Require(bool ok, string option, TimeSpan value, string allowed)
    {
        if (!ok)
            throw new ArgumentException($"BullyOptions.{option} = {value} {allowed}.", option);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
