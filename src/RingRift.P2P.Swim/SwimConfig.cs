namespace RingRift.P2P.Swim;

/// <summary>
/// Tuning of the SWIM + Lifeguard membership protocol. Property defaults are those of
/// <see cref="Default"/>; <see cref="Seed"/> and <see cref="Lan"/> are the other presets. Call
/// <see cref="Validate"/> on start.
/// </summary>
/// <remarks>
/// <para>Derived timings (see <see cref="SwimMath"/>), n = known members:</para>
/// <list type="bullet">
/// <item>suspicion min = <c>max(SuspicionFloor, SuspicionMult × max(1, log10(max(1, n))) × ProbeInterval)</c></item>
/// <item>suspicion max = <c>SuspicionMaxTimeoutMult × min</c>; expected confirmations =
/// <c>clamp(floor(SuspicionMult) − 2, 0, n − 2)</c></item>
/// <item>retransmits per update = <c>RetransmitMult × ceil(log10(n + 1))</c></item>
/// <item>effective probe interval and timeout = configured value × (awareness score + 1), score &lt; <c>AwarenessMaxMultiplier</c></item>
/// </list>
/// </remarks>
public sealed record SwimConfig
{
    /// <summary>Lowest <see cref="MaxPacketBytes"/>: room for a header plus one ping with a few updates.</summary>
    public const int MinPacketBytes = 512;

    /// <summary>Highest <see cref="MaxPacketBytes"/>: the largest IPv4 UDP payload (65,535 − 8 − 20).</summary>
    public const int MaxUdpPayloadBytes = 65_507;

    /// <summary>
    /// The shipping default: the fast setting (docs/membership.md argues for it) — a 300 ms
    /// protocol period (first probe of a dead node within ≈ 1.4 s at p99) and a 2.5 s suspicion floor
    /// (no false positive when a node stalls for 2 s), for p99 detection ≈ 4.5 s at N = 64.
    /// </summary>
    /// <remarks>Chosen from the simulator's measured table of detection p50/p99 against false
    /// positives; docs/membership.md and docs/benchmarks.md give the table and the reasons.</remarks>
    public static SwimConfig Default { get; } = new();

    /// <summary>
    /// What RingRift operators know from the seed: <c>ping_interval</c> 1 s. Probe timeout 500 ms and
    /// suspicion multiplier 3, so that with N ≤ 10 the suspicion lasts 3 s at least and a typical
    /// detection (≈ 1.6 periods to the first probe, then suspicion) lands near the seed's "5 s
    /// (suspicion + failure)"; p99 is longer (≈ 4.6 s to the first probe alone). Keeps the 2.5 s floor.
    /// </summary>
    public static SwimConfig Seed { get; } = new()
    {
        ProbeInterval = TimeSpan.FromSeconds(1),
        ProbeTimeout = TimeSpan.FromMilliseconds(500),
        SuspicionMult = 3,
    };

    /// <summary>
    /// HashiCorp memberlist's <c>DefaultLANConfig</c> timings (probe 1 s / 500 ms, 3 indirect checks,
    /// suspicion ×4 and max ×6, retransmit ×4, awareness ×8, gossip 3 nodes every 200 ms, push-pull
    /// 30 s, 1,400-byte packets) with no suspicion floor, so our measurements compare with
    /// memberlist's. Only the port differs: 7947, RingRift's.
    /// </summary>
    public static SwimConfig Lan { get; } = new()
    {
        ProbeInterval = TimeSpan.FromSeconds(1),
        ProbeTimeout = TimeSpan.FromMilliseconds(500),
        SuspicionMult = 4,
        SuspicionFloor = TimeSpan.Zero,
        FinalProbeBeforeDead = false,
        EagerSuspectProbes = false,
        AnswerDeathToLaggards = false,
        StaleAccusationsAsEvidence = false,
    };

    /// <summary>Protocol period T: each period the node probes one member (SWIM §3, §4.3 round-robin).</summary>
    /// <value>300 ms by default (1 s in <see cref="Seed"/> and <see cref="Lan"/>).</value>
    /// <remarks>The first probe of a dead node takes ≈ 4.6 T at p99 whatever N is, so T bounds detection
    /// time; cost is O(1) per node: about 2/T messages per second.</remarks>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How long a direct ping waits for its ack before indirect probes start (SWIM §3).</summary>
    /// <value>150 ms by default (500 ms in <see cref="Seed"/> and <see cref="Lan"/>); must be &lt; <see cref="ProbeInterval"/>.</value>
    /// <remarks>Half the period, memberlist's ratio: leaves the other half for indirect probes. Well
    /// above a cross-cloud round trip (≈ 100 ms), and Lifeguard scales it up when this node is slow.</remarks>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>k of SWIM §3: members asked to ping-req a target that missed its direct ack.</summary>
    /// <value>3 by default; 0 disables indirect probes.</value>
    /// <remarks>memberlist's value: with independent 5 % loss per link, three paths make a false
    /// failed probe very unlikely while costing 4 k extra messages only on failure.</remarks>
    public int IndirectChecks { get; init; } = 3;

    /// <summary>Multiplier of the minimum suspicion timeout (Lifeguard §IV-B); also sets the expected
    /// confirmations to <c>floor(SuspicionMult) − 2</c>.</summary>
    /// <value>4 by default (memberlist LAN; 3 in <see cref="Seed"/>); ≥ 1.</value>
    /// <remarks>min = max(SuspicionFloor, SuspicionMult × max(1, log10(max(1, n))) × ProbeInterval):
    /// with 300 ms that is 1.2 s for n ≤ 10 (so the floor rules), ≈ 3.25 s at n = 512.</remarks>
    public double SuspicionMult { get; init; } = 4;

    /// <summary>Multiplier from the minimum to the maximum suspicion timeout (Lifeguard §IV-B).</summary>
    /// <value>6 by default (memberlist); ≥ 1.</value>
    /// <remarks>A suspicion nobody confirms runs for max = 6 × min; each independent confirmation
    /// shortens it toward min, so an isolated accuser (likely the sick one) waits longest.</remarks>
    public double SuspicionMaxTimeoutMult { get; init; } = 6;

    /// <summary>Lowest minimum suspicion timeout whatever N and <see cref="ProbeInterval"/> are.</summary>
    /// <value>2.5 s by default and in <see cref="Seed"/>; zero (memberlist's formula alone) in <see cref="Lan"/>; ≥ 0.</value>
    /// <remarks>The stall budget: a node that stops for S = 2 s must get the time to wake, hear it is
    /// suspected and refute before anyone declares it dead (docs/membership.md).</remarks>
    public TimeSpan SuspicionFloor { get; init; } = TimeSpan.FromSeconds(2.5);

    /// <summary>Multiplier of how many times each update is piggybacked (SWIM §4.1).</summary>
    /// <value>4 by default (memberlist LAN); ≥ 1.</value>
    /// <remarks>limit = RetransmitMult × ceil(log10(n + 1)): 4 for n ≤ 9, 8 for n ≤ 99, 12 for n ≤ 999.</remarks>
    public int RetransmitMult { get; init; } = 4;

    /// <summary>Largest Lifeguard §IV-A local-health multiplier on the probe interval and timeout.</summary>
    /// <value>8 by default (memberlist, Lifeguard's evaluation); ≥ 1 (1 turns local health off).</value>
    /// <remarks>The awareness score runs from 0 to AwarenessMaxMultiplier − 1; a node at the top probes
    /// every 8 T with an 8× timeout, so a starved node stops accusing healthy peers.</remarks>
    public int AwarenessMaxMultiplier { get; init; } = 8;

    /// <summary>Period of the dedicated gossip rounds that spread pending updates beyond piggybacking.</summary>
    /// <value>200 ms by default (memberlist LAN); &gt; 0.</value>
    /// <remarks>With <see cref="GossipNodes"/> 3 an update reaches 512 nodes in ≈ log4(512) ≈ 4.5 rounds,
    /// about 1 s, inside the 2.5 s dissemination goal.</remarks>
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Random members sent each gossip round.</summary>
    /// <value>3 by default (memberlist LAN); ≥ 1.</value>
    public int GossipNodes { get; init; } = 3;

    /// <summary>Period of the full-state push-pull sync over TCP with one random member, which heals
    /// partitions and catches up anything gossip missed.</summary>
    /// <value>30 s by default (memberlist LAN); &gt; 0.</value>
    /// <remarks>Costs a full member list per exchange, so it stays rare, and beyond 32 members it is
    /// stretched with the cluster (<see cref="SwimMath.ScaledPushPullInterval"/>: 60 s at 64, 150 s at 512);
    /// joins do one at once.</remarks>
    public TimeSpan PushPullInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a failed UDP probe is retried over TCP in the same period, so a member whose UDP
    /// is firewalled is not declared dead while it is healthy.</summary>
    /// <value>True by default.</value>
    public bool TcpFallback { get; init; } = true;

    /// <summary>
    /// Whether a node whose suspicion of a member runs out first sends that member one last ping carrying
    /// the accusation and waits <see cref="ProbeTimeout"/> before declaring it dead. A live member answers
    /// with its current Alive, so a node that missed the refutation gossip learns it directly.
    /// </summary>
    /// <value>True by default (false in <see cref="Lan"/>, to stay comparable with memberlist).</value>
    /// <remarks>Costs one ping per node still suspecting at the deadline, and adds one probe timeout to the
    /// time until a dead member is declared dead.</remarks>
    public bool FinalProbeBeforeDead { get; init; } = true;

    /// <summary>
    /// Whether, while some members are suspect, every other protocol period probes a suspect (chosen at
    /// random) instead of the round-robin's next member. The ping carries the accusation (Lifeguard's buddy
    /// system), so a member that was only stalled hears it again after waking and answers directly.
    /// </summary>
    /// <value>True by default (false in <see cref="Lan"/>, to stay comparable with memberlist).</value>
    /// <remarks>Costs no extra messages (a probe is sent every period either way); while suspicions last,
    /// the round-robin advances at half speed.</remarks>
    public bool EagerSuspectProbes { get; init; } = true;

    /// <summary>
    /// Whether a node that holds a member dead answers, directly and with that Dead, whoever still accuses
    /// the member (a Suspect in its datagram) or asks it to probe the member (an indirect ping): the sender
    /// missed the Dead gossip and would otherwise wait out its own suspicion, with nobody left to confirm it.
    /// </summary>
    /// <value>True by default (false in <see cref="Lan"/>, to stay comparable with memberlist).</value>
    /// <remarks>
    /// <para>Only deaths younger than the longest suspicion timeout (<see cref="SwimMath.SuspicionMaxTimeout"/>)
    /// are answered: by then a lagging node's own suspicion has run out anyway, and an old false death held
    /// by a node that was cut off is not pushed on others for ever.</para>
    /// <para>Safe by SWIM's rules: the answer is the Dead the sender would have accepted from gossip (at the
    /// incarnation it suspects or above); at an older incarnation it is stale there and at most confirms a
    /// running suspicion (<see cref="StaleAccusationsAsEvidence"/>). A Dead is never answered with a Dead, so
    /// two nodes cannot answer each other in a loop. Costs one small datagram per such accusation.</para>
    /// </remarks>
    public bool AnswerDeathToLaggards { get; init; } = true;

    /// <summary>
    /// Whether a Suspect or Dead about a member at an older incarnation than this node knows is taken as
    /// evidence instead of only dropped (memberlist drops it): the member is probed in the next protocol period,
    /// out of the round-robin order, and while this node suspects it, a stale Dead from another node counts as an
    /// independent confirmation of the suspicion (Lifeguard §IV-B) when it is news about the member's current
    /// life (see the remarks).
    /// </summary>
    /// <value>True by default (false in <see cref="Lan"/>, to stay comparable with memberlist).</value>
    /// <remarks>
    /// <para>Why: a member that refuted a suspicion just before it crashed is known at its new incarnation
    /// only to the nodes that heard the refutation. The others suspect and declare it dead at the old one,
    /// which those nodes rightly ignore; without this they probe it only when the round-robin comes round,
    /// then suspect it with nobody left to confirm (everyone else holds it dead) and wait out the longest
    /// suspicion timeout.</para>
    /// <para>Why it is safe: nothing stale changes a member's state. The member is suspected only when this
    /// node's own probe (direct, indirect and TCP) fails, at the incarnation this node knows, and the
    /// confirmations only bring the timeout down toward the minimum (never below it, nor below
    /// <see cref="SuspicionFloor"/>), which is the time a live member always has to refute. As a refutation can
    /// need longer than that to reach everyone under heavy loss, only a stale Dead that is news about the member's
    /// current life confirms: not a stale Suspect (it may predate the refutation that made it stale); not when
    /// this node saw the member come back from dead or left (a restart: the Deads are about the previous process);
    /// not within the suspicion minimum of learning the current incarnation (it may be the false death the member
    /// refuted). Costs no extra messages: the probe takes the place of the round-robin's next one.</para>
    /// </remarks>
    public bool StaleAccusationsAsEvidence { get; init; } = true;

    /// <summary>Largest UDP datagram sent, compound packets included.</summary>
    /// <value>1,400 bytes by default: under a 1,500-byte Ethernet MTU with IP/UDP headers and
    /// tunnel overhead to spare, so packets are never fragmented; 512 to 65,507.</value>
    public int MaxPacketBytes { get; init; } = 1400;

    /// <summary>UDP (and TCP fallback) port; the seed's <c>RINGRIFT_SWIM_BIND_PORT</c>.</summary>
    /// <value>7947 by default; 0 to 65,535 (0 lets the OS pick, for tests).</value>
    public int BindPort { get; init; } = 7947;

    /// <summary>
    /// Checks every option and throws <see cref="ArgumentOutOfRangeException"/> (an
    /// <see cref="ArgumentException"/>) whose parameter name is the option and whose message names
    /// the value and the allowed range. Rules: ProbeInterval &gt; 0; 0 &lt; ProbeTimeout &lt; ProbeInterval;
    /// IndirectChecks ≥ 0; SuspicionMult, SuspicionMaxTimeoutMult finite and ≥ 1; SuspicionFloor ≥ 0;
    /// RetransmitMult, AwarenessMaxMultiplier, GossipNodes ≥ 1; GossipInterval, PushPullInterval &gt; 0;
    /// MaxPacketBytes 512..65,507; BindPort 0..65,535.
    /// </summary>
    public void Validate()
    {
        RequirePositive(ProbeInterval, nameof(ProbeInterval));
        RequirePositive(ProbeTimeout, nameof(ProbeTimeout));
        if (ProbeTimeout >= ProbeInterval)
        {
            throw Invalid(nameof(ProbeTimeout), ProbeTimeout, $"> 00:00:00 and < {nameof(ProbeInterval)} ({ProbeInterval})");
        }

        RequireAtLeast(IndirectChecks, 0, nameof(IndirectChecks));
        RequireMultiplier(SuspicionMult, nameof(SuspicionMult));
        RequireMultiplier(SuspicionMaxTimeoutMult, nameof(SuspicionMaxTimeoutMult));
        if (SuspicionFloor < TimeSpan.Zero)
        {
            throw Invalid(nameof(SuspicionFloor), SuspicionFloor, ">= 00:00:00");
        }

        RequireAtLeast(RetransmitMult, 1, nameof(RetransmitMult));
        RequireAtLeast(AwarenessMaxMultiplier, 1, nameof(AwarenessMaxMultiplier));
        RequirePositive(GossipInterval, nameof(GossipInterval));
        RequireAtLeast(GossipNodes, 1, nameof(GossipNodes));
        RequirePositive(PushPullInterval, nameof(PushPullInterval));
        if (MaxPacketBytes is < MinPacketBytes or > MaxUdpPayloadBytes)
        {
            throw Invalid(nameof(MaxPacketBytes), MaxPacketBytes, $"{MinPacketBytes} to {MaxUdpPayloadBytes}");
        }

        if (BindPort is < 0 or > 65_535)
        {
            throw Invalid(nameof(BindPort), BindPort, "0 to 65535");
        }
    }

    private static void RequirePositive(TimeSpan value, string option)
    {
        if (value <= TimeSpan.Zero)
        {
            throw Invalid(option, value, "> 00:00:00");
        }
    }

    private static void RequireAtLeast(int value, int lowest, string option)
    {
        if (value < lowest)
        {
            throw Invalid(option, value, $">= {lowest}");
        }
    }

    private static void RequireMultiplier(double value, string option)
    {
        if (!double.IsFinite(value) || value < 1.0)
        {
            throw Invalid(option, value, "a finite number >= 1");
        }
    }

    private static ArgumentOutOfRangeException Invalid(string option, object value, string allowed) =>
        new(option, value, $"SwimConfig.{option} is {value}; allowed: {allowed}.");
}
