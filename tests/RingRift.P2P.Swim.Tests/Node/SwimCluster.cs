using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Swim.Wire;
using RingRift.P2P.Testing.Election;

namespace RingRift.P2P.Swim.Tests.Node;

/// <summary>
/// N <see cref="SwimNode"/>s "n0".."n(N−1)" at 10.0.0.(i+1):7947 on one <see cref="LoopbackNet"/>, each with
/// Random(seed + i), recording every membership event with its virtual time.
/// </summary>
internal sealed class SwimCluster
{
    public const string Token = "cluster-token";

    /// <param name="ownClocks">Each node runs on its own <see cref="DriftingTimeProvider"/> over <see cref="Time"/>, so a
    /// test can step one node's wall clock alone (<see cref="ClockOf"/>).</param>
    public SwimCluster(int count, SwimConfig? config = null, int seed = 42, bool ownClocks = false)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Net = new LoopbackNet(Time);
        Config = config ?? SwimConfig.Default;
        Auth = PacketAuthenticator.FromClusterToken(Token);
        for (int i = 0; i < count; i++)
        {
            var endpoint = new SwimEndpoint($"10.0.0.{i + 1}", 7947);
            TimeProvider clock = ownClocks ? new DriftingTimeProvider(Time) : Time;
            _clocks.Add(clock);
            var node = new SwimNode($"n{i}", Config, Net.Add(endpoint), clock, new Random(seed + i), Auth, Logger);
            string observer = node.SelfId;
            node.MemberAlive += m => Events.Add(new(observer, "alive", m.NodeId, Time.GetUtcNow()));
            node.MemberSuspect += m => Events.Add(new(observer, "suspect", m.NodeId, Time.GetUtcNow()));
            node.MemberFailed += m => Events.Add(new(observer, "failed", m.NodeId, Time.GetUtcNow()));
            node.MemberLeft += m => Events.Add(new(observer, "left", m.NodeId, Time.GetUtcNow()));
            Nodes.Add(node);
        }
    }

    private readonly List<TimeProvider> _clocks = [];

    public ListLogger Logger { get; } = new();

    /// <summary>Node <paramref name="i"/>'s own clock; the cluster must have been built with <c>ownClocks</c>.</summary>
    public DriftingTimeProvider ClockOf(int i) => _clocks[i] as DriftingTimeProvider
        ?? throw new InvalidOperationException("the nodes share one clock; build the cluster with ownClocks: true");

    public FakeTimeProvider Time { get; }

    public LoopbackNet Net { get; }

    public SwimConfig Config { get; }

    public PacketAuthenticator Auth { get; }

    public List<SwimNode> Nodes { get; } = [];

    public List<MemberEvent> Events { get; } = [];

    public SwimNode this[int i] => Nodes[i];

    /// <summary>Starts n0 with no seeds and every other node with n0 as its only seed.</summary>
    public void StartAll()
    {
        Nodes[0].Start([]);
        for (int i = 1; i < Nodes.Count; i++)
        {
            Nodes[i].Start([Nodes[0].Endpoint]);
        }
    }

    /// <summary>Starts everyone and runs until every node sees every other alive; fails the test if not within 10 s.</summary>
    public void StartAndConverge()
    {
        StartAll();
        Assert.NotNull(Net.RunUntil(AllSeeAllAlive, TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// From now on the network loses every message (inside each datagram) for which <paramref name="lose"/>
    /// (from, to, message) is true, and delivers the rest of the datagram; null stops it. Datagrams are read
    /// and re-sealed with the cluster token.
    /// </summary>
    public void LoseMessages(Func<SwimEndpoint, SwimEndpoint, SwimMessage, bool>? lose)
    {
        if (lose is null)
        {
            Net.Rewrite = null;
            return;
        }

        var reader = new SwimPacketReader(Auth);
        var packer = new CompoundPacker(Auth, Config.MaxPacketBytes);
        Net.Rewrite = (from, to, packet) =>
        {
            List<SwimMessage> messages = [.. reader.Read(packet)];
            var kept = messages.Where(m => !lose(from, to, m)).ToList();
            if (kept.Count == messages.Count)
            {
                return packet;
            }

            return kept.Count == 0 ? null : packer.Pack(kept).Single();
        };
    }

    /// <summary>A datagram holding only <paramref name="messages"/>, sealed with the cluster token (to inject).</summary>
    public byte[] Packet(params SwimMessage[] messages) => new CompoundPacker(Auth, Config.MaxPacketBytes).Pack(messages).Single();

    /// <summary>The shortest suspicion timeout for a cluster of <paramref name="n"/> (this config).</summary>
    public TimeSpan SuspicionMin(int n) => SwimMath.SuspicionMinTimeout(Config.SuspicionMult, n, Config.ProbeInterval, Config.SuspicionFloor);

    public bool AllSeeAllAlive() => Nodes.All(n => n.GetMembershipSummary().Alive == Nodes.Count - 1);

    /// <summary>True when every node but <paramref name="subject"/> sees it in <paramref name="state"/>.</summary>
    public bool OthersSee(SwimNode subject, SwimMemberState state) =>
        Nodes.Where(n => n != subject).All(n => n.GetMember(subject.SelfId)?.State == state);

    public IEnumerable<MemberEvent> EventsAbout(string member, string kind) =>
        Events.Where(e => e.Member == member && e.Kind == kind);

    public record MemberEvent(string Observer, string Kind, string Member, DateTimeOffset At);
}
