using RingRift.P2P.Config;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Node.Membership;

/// <summary>
/// Membership/ holds who is alive: HTTP heartbeats, the SWIM service and the view the node uses.
/// The membership view the node acts on, chosen by the seed's flags. The election, the voter set,
/// the election's start-up wait and <c>/status</c> read liveness only from here; <see cref="PeerTable"/>
/// stays the directory of peers' HTTP endpoints and last summaries.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>RINGRIFT_SWIM_ENABLED=false</term><description>HTTP heartbeats (<see cref="PeerTable"/>), whatever the mode: the rollback switch. No SWIM socket is opened.</description></item>
/// <item><term>enabled, mode http</term><description>HTTP heartbeats decide; SWIM runs alongside for observation (its counts show in <c>/status</c>).</description></item>
/// <item><term>enabled, mode swim</term><description>SWIM decides (<see cref="SwimFirstView"/>: HTTP only for peers outside SWIM); HTTP heartbeats go to the leader only, to carry resource summaries. If SWIM could not start, HTTP heartbeats decide again and <see cref="FallbackReason"/> says why.</description></item>
/// <item><term>enabled, mode hybrid</term><description><see cref="HybridMembershipManager"/>: alive in either view.</description></item>
/// </list>
/// </remarks>
public sealed class NodeMembership : IMembershipView
{
    private readonly PeerTable _peers;
    private readonly SwimFirstView? _swimFirst;

    public NodeMembership(NodeOptions options, PeerTable peers, SwimMembershipManager? swim)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(peers);
        if (options.Config.SwimEnabled != swim is not null)
            throw new ArgumentException($"swim must be given exactly when RINGRIFT_SWIM_ENABLED is true (it is {options.Config.SwimEnabled})", nameof(swim));
        _peers = peers;
        Swim = swim;
        ConfiguredMode = options.Config.MembershipMode;
        Mode = swim is null ? MembershipMode.Http : ConfiguredMode;
        Hybrid = Mode == MembershipMode.Hybrid ? new HybridMembershipManager(swim!, peers) : null;
        _swimFirst = Mode == MembershipMode.Swim ? new SwimFirstView(swim!, peers) : null;
    }

    /// <summary>RINGRIFT_MEMBERSHIP_MODE as configured.</summary>
    public MembershipMode ConfiguredMode { get; }

    /// <summary>The mode in force: <see cref="MembershipMode.Http"/> when SWIM is disabled, else the configured one.</summary>
    public MembershipMode Mode { get; }

    /// <summary>The SWIM manager; null when SWIM is disabled.</summary>
    public SwimMembershipManager? Swim { get; }

    /// <summary>The hybrid view; null unless <see cref="Mode"/> is hybrid.</summary>
    public HybridMembershipManager? Hybrid { get; }

    /// <summary>The view answering liveness questions right now.</summary>
    public IMembershipView Active => Mode switch
    {
        MembershipMode.Swim when Swim!.Available => _swimFirst!,
        MembershipMode.Hybrid => Hybrid!,
        _ => _peers,
    };

    /// <summary>True when SWIM alone decides liveness, so HTTP heartbeats need only carry summaries to the leader.</summary>
    public bool SwimDecides => Mode == MembershipMode.Swim && Swim!.Available;

    /// <summary>Why liveness rests on HTTP heartbeats although the mode asks for SWIM; null when it does not.</summary>
    public string? FallbackReason => Mode switch
    {
        MembershipMode.Swim when !Swim!.Available => $"SWIM could not start ({Swim.LastStartError}); using HTTP heartbeats only",
        MembershipMode.Hybrid => Hybrid!.FallbackReason,
        _ => null,
    };

    /// <summary>
    /// Seed addresses whose node id is still unknown, counted as unknown voters: the HTTP seeds not
    /// yet answered, plus (when SWIM takes part in liveness) the SWIM seeds until SWIM has joined.
    /// </summary>
    public int UnresolvedSeedCount =>
        _peers.UnresolvedSeeds.Count + (Mode != MembershipMode.Http && Swim is { Available: true } s ? s.UnresolvedSeedCount : 0);

    public string SelfId => _peers.SelfId;

    public IReadOnlyCollection<string> GetAlivePeers() => Active.GetAlivePeers();

    public bool IsPeerAlive(string nodeId) => Active.IsPeerAlive(nodeId);

    /// <summary>Peers alive by HTTP heartbeats alone (the seed's <c>http.alive_peers</c>).</summary>
    public int HttpAlivePeers() => _peers.GetAlivePeers().Count;
}
