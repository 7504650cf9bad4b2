using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RingRift.P2P.Hosts;
using RingRift.P2P.Membership;
using RingRift.P2P.Swim.Net;
using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim;

/// <summary>
/// The seed's <c>SwimMembershipManager</c>: one <see cref="SwimNode"/> on a real UDP/TCP socket
/// (<see cref="UdpSwimTransport"/>), joined through seeds, exposed as an <see cref="IMembershipView"/>.
/// </summary>
/// <remarks>
/// <para>Lifecycle: <see cref="StartAsync"/> once (resolve seed names, bind, start the node, join),
/// <see cref="StopAsync"/> once (graceful leave, then close the socket). A start that cannot bind —
/// the port is taken, the address is not local — does not throw: <see cref="Available"/> turns false
/// and <see cref="LastStartError"/> says why, so the host can keep running on HTTP heartbeats.</para>
/// <para>Incarnation: the node starts at the Unix time in milliseconds from the injected clock, so a
/// restarted process is above anything the cluster remembers of its previous run (SWIM §4.2: the
/// higher incarnation wins) and rejoins at once instead of being taken for a stale message.</para>
/// <para>Counts and lists are about peers only, never this node (as the seed module's API counts them).</para>
/// </remarks>
public sealed class SwimMembershipManager : IMembershipView, IAsyncDisposable
{
    private readonly SwimMembershipOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly List<string> _unresolvedSeedNames = [];
    private volatile SwimNode? _node;
    private volatile UdpSwimTransport? _transport;
    private volatile string? _lastStartError;
    private volatile bool _stopped;
    private IReadOnlyList<SwimEndpoint> _resolvedSeeds = [];
    private SwimEndpoint? _bound;

    /// <summary>A manager with explicit seeds (host or IP with the SWIM port).</summary>
    /// <param name="nodeId">This node's id (1..128 bytes; the same id the rest of the node uses).</param>
    /// <param name="bindPort">SWIM UDP/TCP port, 1..65535, or 0 to let the OS pick (tests).</param>
    /// <param name="seeds">Members to join through; empty starts a new cluster.</param>
    /// <param name="options">Bind/advertise addresses, authentication, metadata, timings; defaults when null.</param>
    public SwimMembershipManager(string nodeId, int bindPort, IEnumerable<SwimEndpoint> seeds, SwimMembershipOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        ArgumentNullException.ThrowIfNull(seeds);
        if (bindPort is < 0 or > 65_535)
        {
            throw new ArgumentOutOfRangeException(nameof(bindPort), bindPort, $"bindPort is {bindPort}; allowed: 0 (OS picks) to 65535.");
        }

        _options = options ?? new SwimMembershipOptions();
        _options.Config.Validate();
        if (!IPAddress.TryParse(_options.BindAddress, out _))
        {
            throw new ArgumentException($"options.BindAddress is '{_options.BindAddress}'; allowed: an IPv4 or IPv6 address literal.", nameof(options));
        }

        SelfId = nodeId;
        BindPort = bindPort;
        Seeds = seeds.Distinct().ToList();
        _logger = _options.LoggerFactory?.CreateLogger<SwimMembershipManager>() ?? NullLogger<SwimMembershipManager>.Instance;
    }

    /// <summary>
    /// A manager whose seeds come from <c>distributed_hosts.yaml</c> (see <see cref="SwimSeeds.FromDistributedHosts"/>).
    /// </summary>
    /// <param name="configPath">The inventory; null means <c>distributed_hosts.yaml</c> in the current
    /// directory, and no seeds when that file does not exist.</param>
    /// <exception cref="HostsFileException">The file named by <paramref name="configPath"/> cannot be read or parsed.</exception>
    public static SwimMembershipManager FromDistributedHosts(string nodeId, int bindPort, string? configPath = null, SwimMembershipOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        SwimSeeds.CheckPort(bindPort, nameof(bindPort));
        string path = configPath ?? DistributedHosts.DefaultFileName;
        DistributedHostsConfig inventory = configPath is null && !File.Exists(path) ? DistributedHostsConfig.Empty : DistributedHosts.Load(path);
        return new SwimMembershipManager(nodeId, bindPort, SwimSeeds.FromDistributedHosts(inventory, nodeId, bindPort), options);
    }

    /// <summary>A peer became alive (joined, refuted, or came back).</summary>
    public event Action<SwimMember>? MemberAlive;

    /// <summary>A peer is suspected (SWIM §4.2).</summary>
    public event Action<SwimMember>? MemberSuspect;

    /// <summary>A peer was declared failed (dead).</summary>
    public event Action<SwimMember>? MemberFailed;

    /// <summary>A peer left gracefully.</summary>
    public event Action<SwimMember>? MemberLeft;

    /// <inheritdoc/>
    public string SelfId { get; }

    /// <summary>The port asked for (0 = OS picks; see <see cref="BoundEndpoint"/> for the real one).</summary>
    public int BindPort { get; }

    /// <summary>The seeds as given (names not yet resolved).</summary>
    public IReadOnlyList<SwimEndpoint> Seeds { get; }

    /// <summary>The options in use.</summary>
    public SwimMembershipOptions Options => _options;

    /// <summary>True while the SWIM node runs: after a successful <see cref="StartAsync"/>, until <see cref="StopAsync"/>.</summary>
    public bool Started => _node is not null && !_stopped;

    /// <summary>False once a start has failed (see <see cref="LastStartError"/>); true before any start and after a good one.</summary>
    public bool Available => _lastStartError is null;

    /// <summary>Why the last start failed, e.g. "cannot bind SWIM UDP/TCP 0.0.0.0:7947: AddressAlreadyInUse"; null when it did not.</summary>
    public string? LastStartError => _lastStartError;

    /// <summary>Where the socket is bound; null before a successful start.</summary>
    public SwimEndpoint? BoundEndpoint => _bound;

    /// <summary>The address and port gossiped to peers; null before a successful start.</summary>
    public SwimEndpoint? AdvertisedEndpoint => _node?.Endpoint;

    /// <summary>This node's current incarnation (0 before start).</summary>
    public ulong Incarnation => _node?.Self.Incarnation ?? 0;

    /// <summary>Lifeguard §IV-A local health score (0 = healthy; 0 before start).</summary>
    public int AwarenessScore => _node?.AwarenessScore ?? 0;

    /// <summary>Protocol counters; null before start.</summary>
    public SwimNodeStats? Stats => _node?.Stats;

    /// <summary>Inbound packet counters (accepted, dropped for authentication or decoding); null before start.</summary>
    public PacketStatsSnapshot? Packets => _node?.PacketStats.Snapshot();

    /// <summary>True when packets carry an HMAC tag keyed from the cluster token.</summary>
    public bool Authenticated => _options.Authenticator.IsAuthenticating;

    /// <summary>Seed names that did not resolve to an address at start.</summary>
    public IReadOnlyList<string> UnresolvedSeedNames
    {
        get
        {
            lock (_unresolvedSeedNames)
            {
                return _unresolvedSeedNames.ToArray();
            }
        }
    }

    /// <summary>
    /// Seeds whose node id is not known yet: every distinct seed other than this node until the node
    /// has learnt at least one peer (a join through any seed brings the whole membership by push-pull),
    /// then 0. A host can count these as unknown voters so a node that reaches nobody never makes a
    /// majority on its own.
    /// </summary>
    public int UnresolvedSeedCount
    {
        get
        {
            SwimNode? node = _node;
            if (node is not null && node.GetMembershipSummary().Members > 0)
            {
                return 0;
            }

            IEnumerable<SwimEndpoint> seeds = node is null ? Seeds : _resolvedSeeds;
            return seeds.Count(s => s != node?.Endpoint && s != _bound);
        }
    }

    /// <summary>Every peer this node knows (alive, suspect, dead, left), ordered by id; empty before start.</summary>
    public IReadOnlyList<SwimMember> Members =>
        _node?.Members.Where(m => m.NodeId != SelfId).ToList() ?? [];

    /// <summary>The peer <paramref name="nodeId"/>, or null when unknown.</summary>
    public SwimMember? GetMember(string nodeId) => nodeId == SelfId ? null : _node?.GetMember(nodeId);

    /// <inheritdoc/>
    public bool IsPeerAlive(string nodeId) => _node?.IsPeerAlive(nodeId) ?? false;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> GetAlivePeers() => _node?.GetAlivePeers() ?? [];

    /// <summary>Counts of peers by state: alive, suspected, failed, members (all known peers). Zeros before start.</summary>
    public SwimMembershipSummary GetMembershipSummary() => _node?.GetMembershipSummary() ?? new SwimMembershipSummary(0, 0, 0, 0);

    /// <summary>
    /// Resolves seed names, binds, starts the SWIM node and begins joining (the join goes on in the
    /// background with backoff). Returns true when the node runs; false — without throwing — when it
    /// could not bind or the advertise address could not be worked out (<see cref="LastStartError"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Already started, or stopped.</exception>
    public async Task<bool> StartAsync(CancellationToken ct = default)
    {
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_node is not null || _stopped)
            {
                throw new InvalidOperationException($"SwimMembershipManager {SelfId} was already started or stopped; StartAsync may be called once.");
            }

            var bindIp = IPAddress.Parse(_options.BindAddress);
            string? advertise = await AdvertiseAddressAsync(bindIp, ct).ConfigureAwait(false);
            if (advertise is null)
            {
                return Fail($"advertise address '{_options.AdvertiseAddress}' does not resolve to an {bindIp.AddressFamily} address");
            }

            var unresolved = new List<string>();
            IReadOnlyList<SwimEndpoint> seeds = await SwimSeeds.ResolveAsync(Seeds, bindIp.AddressFamily, unresolved, ct).ConfigureAwait(false);
            lock (_unresolvedSeedNames)
            {
                _unresolvedSeedNames.AddRange(unresolved);
            }

            foreach (string name in unresolved)
            {
                SwimManagerLog.SeedUnresolved(_logger, name);
            }

            UdpSwimTransport transport;
            try
            {
                transport = UdpSwimTransport.Bind(_options.BindAddress, BindPort, _options.LoggerFactory?.CreateLogger<UdpSwimTransport>(),
                    _options.Config.MaxPacketBytes);
            }
            catch (SocketException ex)
            {
                string where = new SwimEndpoint(_options.BindAddress, BindPort).ToString();
                return Fail($"cannot bind SWIM UDP/TCP {where}: {ex.SocketErrorCode} ({ex.Message})");
            }

            ulong incarnation = (ulong)Math.Max(0, _options.Time.GetUtcNow().ToUnixTimeMilliseconds());
            SwimNode node;
            try
            {
                node = new SwimNode(SelfId, _options.Config, new AdvertisedSwimTransport(transport, advertise), _options.Time,
                    _options.Random ?? new Random(), _options.Authenticator, _options.LoggerFactory?.CreateLogger<SwimNode>(),
                    incarnation, _options.Meta)
                { ProbeLoop = _options.ProbeLoop };
            }
            catch
            {
                await transport.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            node.MemberAlive += m => MemberAlive?.Invoke(m);
            node.MemberSuspect += m => MemberSuspect?.Invoke(m);
            node.MemberFailed += m => MemberFailed?.Invoke(m);
            node.MemberLeft += m => MemberLeft?.Invoke(m);
            _transport = transport;
            _bound = transport.Local;
            _resolvedSeeds = seeds;
            _node = node;
            node.Start(seeds);
            SwimManagerLog.Started(_logger, SelfId, transport.Local.ToString(), node.Endpoint.ToString(), seeds.Count, incarnation);
            return true;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Graceful leave (peers see this node Left rather than failed), then closes the socket. Safe to
    /// call when never started or already stopped.
    /// </summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            if (_node is { } node)
            {
                try
                {
                    await node.LeaveAsync(_options.LeaveDrain, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    node.Stop(); // out of time: stop without finishing the leave gossip
                }

                SwimManagerLog.Stopped(_logger, SelfId);
            }

            if (_transport is { } transport)
            {
                await transport.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private bool Fail(string reason)
    {
        _lastStartError = reason;
        SwimManagerLog.StartFailed(_logger, SelfId, reason);
        return false;
    }

    private async Task<string?> AdvertiseAddressAsync(IPAddress bindIp, CancellationToken ct)
    {
        if (_options.AdvertiseAddress is { } configured)
        {
            string trimmed = configured.Trim('[', ']');
            if (IPAddress.TryParse(trimmed, out IPAddress? literal))
            {
                return literal.ToString();
            }

            try
            {
                IPAddress[] found = await Dns.GetHostAddressesAsync(trimmed, bindIp.AddressFamily, ct).ConfigureAwait(false);
                return found.Length > 0 ? found[0].ToString() : null;
            }
            catch (SocketException)
            {
                return null;
            }
        }

        if (!bindIp.Equals(IPAddress.Any) && !bindIp.Equals(IPAddress.IPv6Any))
        {
            return bindIp.ToString(); // bound to one interface: that is the address
        }

        return FirstInterfaceAddress(bindIp.AddressFamily)
            ?? (bindIp.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback).ToString();
    }

    /// <summary>The first unicast address of <paramref name="family"/> on an interface that is up and not loopback.</summary>
    private static string? FirstInterfaceAddress(AddressFamily family)
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == family && !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)
                ?.ToString();
        }
        catch (NetworkInformationException)
        {
            return null;
        }
    }
}
