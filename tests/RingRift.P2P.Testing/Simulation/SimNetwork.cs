using RingRift.P2P.Swim;

namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// An in-memory network on a <see cref="SimClock"/>: datagrams and stream requests between simulated
/// endpoints, with per-link loss, latency, jitter and duplication, partitions, one-way blocks, crashed
/// and stalled hosts, and per-endpoint traffic counters. No sockets; every random choice comes from one
/// seeded <see cref="Random"/>, drawn in call order, so a run replays exactly from its seed.
/// </summary>
/// <remarks>
/// <para><b>Datagrams</b> (<see cref="ISwimTransport.SendPacket"/>): the packet is copied, then dropped when
/// the sender is crashed, the receiver unknown or crashed, or the link partitioned/blocked; otherwise the
/// link's loss draw may drop it, else it arrives after <c>Latency + U[0, Jitter]</c> (and maybe once more,
/// see <see cref="LinkProfile.Duplicate"/>). On arrival the partition and crash checks run again (a packet
/// in flight when the link breaks is lost).</para>
/// <para><b>Requests</b> (<see cref="ISwimTransport.SendRequestAsync"/>): like TCP, no loss or duplication,
/// but the same delays, partitions and crashes; a request or response that cannot get through is silently
/// lost and the requester's task completes with null exactly <c>timeout</c> after the call. Handler
/// exceptions are not caught: they surface from <see cref="SimClock.RunUntil"/> so tests see them.</para>
/// <para><b>Stalls</b> (<see cref="Stall"/>): the host keeps receiving but processes nothing. Packets,
/// requests, responses and request timeouts reaching it are queued in arrival order and handed over when
/// the stall ends. The node's own timers must be deferred too: give the node
/// <see cref="TimeProviderFor"/> instead of the clock. Its wall clock and timestamps keep running (a
/// starved box still sees time pass), but a timer due during the stall fires only when the stall ends, in
/// order with the queued packets; a periodic timer that ticks several times meanwhile fires once
/// (like a ticker whose channel holds one tick). A driver that polls instead can check
/// <see cref="IsStalled"/>.</para>
/// <para><b>Crashes</b> (<see cref="Crash"/>): everything to or from the host is dropped, queued work is
/// discarded, and timers made through <see cref="TimeProviderFor"/> never fire again. After
/// <see cref="Restart"/> the same transport delivers again; build a fresh node (it calls
/// <see cref="ISwimTransport.Attach"/> again) with a fresh <see cref="TimeProviderFor"/>.</para>
/// <para>Single-threaded: call it from the thread running the clock (or before running).</para>
/// </remarks>
public sealed partial class SimNetwork
{
    private readonly Dictionary<SwimEndpoint, SimHost> _hosts = [];
    private readonly List<SimHost> _hostOrder = [];
    private readonly Dictionary<(SwimEndpoint From, SwimEndpoint To), LinkProfile> _links = [];
    private readonly Random _random;
    private LinkProfile _defaultLink = LinkProfile.Default;

    /// <summary>Creates a network on <paramref name="clock"/> whose random choices come from
    /// <paramref name="seed"/>.</summary>
    public SimNetwork(SimClock clock, int seed)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Clock = clock;
        Seed = seed;
        _random = new Random(seed);
    }

    /// <summary>The clock every delivery is scheduled on.</summary>
    public SimClock Clock { get; }

    /// <summary>Seed of the network's random choices (loss, jitter, duplication).</summary>
    public int Seed { get; }

    /// <summary>Profile of every link without its own (<see cref="SetLink"/>). <see cref="LinkProfile.Default"/> at first.</summary>
    public LinkProfile DefaultLink
    {
        get => _defaultLink;
        set => _defaultLink = value ?? throw new ArgumentNullException(nameof(DefaultLink));
    }

    /// <summary>Endpoints in creation order.</summary>
    public IReadOnlyList<SwimEndpoint> Endpoints => _hostOrder.ConvertAll(h => h.Endpoint);

    /// <summary>Raised for every delivery, drop, hold and timeout, in simulation order (the delivery trace).</summary>
    public event Action<SimTraceEvent>? Traced;

    /// <summary>Raised after <see cref="Crash"/> (driver hook: stop the node).</summary>
    public event Action<SwimEndpoint>? Crashed;

    /// <summary>Raised after <see cref="Restart"/> (driver hook: start a fresh node).</summary>
    public event Action<SwimEndpoint>? Restarted;

    /// <summary>Registers <paramref name="endpoint"/> and returns its transport.</summary>
    /// <exception cref="ArgumentException">The endpoint already has a transport.</exception>
    public ISwimTransport CreateTransport(SwimEndpoint endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint.Address, nameof(endpoint));
        if (_hosts.ContainsKey(endpoint))
        {
            throw new ArgumentException($"{nameof(endpoint)} {endpoint} already has a transport; allowed: each endpoint once.", nameof(endpoint));
        }

        var host = new SimHost(endpoint);
        _hosts.Add(endpoint, host);
        _hostOrder.Add(host);
        return new SimTransport(this, host);
    }

    /// <summary>
    /// The node's view of time: the clock's time and timestamps, but timers that are deferred while the
    /// endpoint is stalled and silenced once it crashes (see the class remarks).
    /// </summary>
    public TimeProvider TimeProviderFor(SwimEndpoint endpoint) => new SimNodeTimeProvider(this, Host(endpoint));

    /// <summary>Sets the profile of the link <paramref name="from"/> → <paramref name="to"/> (one direction).</summary>
    public void SetLink(SwimEndpoint from, SwimEndpoint to, LinkProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _links[(from, to)] = profile;
    }

    /// <summary>Returns the link <paramref name="from"/> → <paramref name="to"/> to <see cref="DefaultLink"/>.</summary>
    public void ClearLink(SwimEndpoint from, SwimEndpoint to) => _links.Remove((from, to));

    /// <summary>Traffic of one endpoint so far.</summary>
    public SimCounters CountersFor(SwimEndpoint endpoint) => Host(endpoint).Counters.Snapshot();

    /// <summary>Traffic summed over all endpoints.</summary>
    public SimCounters TotalCounters()
    {
        var total = default(SimCounters);
        foreach (SimHost host in _hostOrder)
        {
            total += host.Counters.Snapshot();
        }

        return total;
    }

    /// <summary>Zeroes every counter (e.g. after a warm-up).</summary>
    public void ResetCounters()
    {
        foreach (SimHost host in _hostOrder)
        {
            host.Counters.Reset();
        }
    }

    internal void SendPacket(SimHost from, SwimEndpoint target, byte[] packet)
    {
        SimCounterSet tally = from.Counters;
        tally.PacketsSent++;
        tally.BytesSent += packet.Length;
        _hosts.TryGetValue(target, out SimHost? to);
        if (from.Crashed || to is null || to.Crashed)
        {
            tally.DroppedCrash++;
            Trace(SimTraceKind.PacketCrashed, from.Endpoint, target, packet.Length);
            return; // a dead process sends nothing; nobody listens at an unknown or crashed address
        }

        if (!CanReach(from.Endpoint, target))
        {
            tally.DroppedPartition++;
            Trace(SimTraceKind.PacketPartitioned, from.Endpoint, target, packet.Length);
            return;
        }

        LinkProfile link = LinkFor(from.Endpoint, target);
        if (link.Loss > 0 && _random.NextDouble() < link.Loss)
        {
            tally.DroppedLoss++;
            Trace(SimTraceKind.PacketLost, from.Endpoint, target, packet.Length);
            return;
        }

        byte[] copy = packet.ToArray(); // the sender may reuse its buffer
        Clock.Enqueue(new PacketArrival(this, from, to, copy), 0, Clock.NowTicks + DelayTicks(link));
        if (link.Duplicate > 0 && _random.NextDouble() < link.Duplicate)
        {
            tally.Duplicated++;
            Clock.Enqueue(new PacketArrival(this, from, to, copy), 0, Clock.NowTicks + DelayTicks(link));
        }
    }

    internal void ArrivePacket(PacketArrival arrival)
    {
        SimHost from = arrival.From;
        SimHost to = arrival.To;
        if (to.Crashed)
        {
            from.Counters.DroppedCrash++;
            Trace(SimTraceKind.PacketCrashed, from.Endpoint, to.Endpoint, arrival.Packet.Length);
            return; // the receiver died while the packet was in flight
        }

        if (!CanReach(from.Endpoint, to.Endpoint))
        {
            from.Counters.DroppedPartition++;
            Trace(SimTraceKind.PacketPartitioned, from.Endpoint, to.Endpoint, arrival.Packet.Length);
            return; // the link broke while the packet was in flight
        }

        if (MustHold(to))
        {
            Hold(to, new PacketHandOver(this, arrival), from, arrival.Packet.Length);
            return;
        }

        HandOverPacket(arrival);
    }

    internal void HandOverPacket(PacketArrival arrival)
    {
        SimHost to = arrival.To;
        to.Counters.PacketsReceived++;
        to.Counters.BytesReceived += arrival.Packet.Length;
        Trace(SimTraceKind.PacketDelivered, arrival.From.Endpoint, to.Endpoint, arrival.Packet.Length);
        to.OnPacket?.Invoke(arrival.From.Endpoint, arrival.Packet);
    }

    internal Task<byte[]?> SendRequest(SimHost from, SwimEndpoint target, byte[] request, TimeSpan timeout, CancellationToken ct)
    {
        from.Counters.RequestsSent++;
        from.Counters.StreamBytesSent += request.Length;
        _hosts.TryGetValue(target, out SimHost? to);
        var exchange = new RequestExchange(from, to, target, request.ToArray());
        ITimer timer = Clock.CreateTimer(
            state => TimeOut((RequestExchange)state!),
            exchange,
            timeout,
            Timeout.InfiniteTimeSpan);
        exchange.Arm(timer, ct);
        if (from.Crashed || to is null || to.Crashed || !CanReach(from.Endpoint, target))
        {
            Trace(SimTraceKind.StreamDropped, from.Endpoint, target, request.Length);
            return exchange.Task; // connection never established: the caller waits out its timeout
        }

        Clock.Enqueue(new ExchangeStep(ArriveRequest, exchange), 0, Clock.NowTicks + DelayTicks(LinkFor(from.Endpoint, target)));
        return exchange.Task;
    }

    private void ArriveRequest(RequestExchange exchange)
    {
        SimHost to = exchange.To!;
        if (to.Crashed || !CanReach(exchange.From.Endpoint, to.Endpoint))
        {
            Trace(SimTraceKind.StreamDropped, exchange.From.Endpoint, to.Endpoint, exchange.Request.Length);
            return;
        }

        if (MustHold(to))
        {
            Hold(to, new ExchangeStep(HandOverRequest, exchange), exchange.From, exchange.Request.Length);
            return;
        }

        HandOverRequest(exchange);
    }

    private void HandOverRequest(RequestExchange exchange)
    {
        SimHost to = exchange.To!;
        to.Counters.RequestsReceived++;
        to.Counters.StreamBytesReceived += exchange.Request.Length;
        Trace(SimTraceKind.RequestDelivered, exchange.From.Endpoint, to.Endpoint, exchange.Request.Length);
        byte[]? response = to.OnRequest?.Invoke(exchange.From.Endpoint, exchange.Request);
        exchange.Response = response?.ToArray();
        to.Counters.StreamBytesSent += response?.Length ?? 0;
        Clock.Enqueue(new ExchangeStep(ArriveResponse, exchange), 0, Clock.NowTicks + DelayTicks(LinkFor(to.Endpoint, exchange.From.Endpoint)));
    }

    private void ArriveResponse(RequestExchange exchange)
    {
        SimHost from = exchange.From;
        SimHost to = exchange.To!;
        int bytes = exchange.Response?.Length ?? 0;
        if (from.Crashed || !CanReach(to.Endpoint, from.Endpoint))
        {
            Trace(SimTraceKind.StreamDropped, to.Endpoint, from.Endpoint, bytes);
            return;
        }

        if (MustHold(from))
        {
            Hold(from, new ExchangeStep(HandOverResponse, exchange), to, bytes);
            return;
        }

        HandOverResponse(exchange);
    }

    private void HandOverResponse(RequestExchange exchange)
    {
        if (exchange.IsDone)
        {
            return; // timed out or cancelled first
        }

        int bytes = exchange.Response?.Length ?? 0;
        exchange.From.Counters.StreamBytesReceived += bytes;
        Trace(SimTraceKind.ResponseDelivered, exchange.To!.Endpoint, exchange.From.Endpoint, bytes);
        exchange.Complete(exchange.Response);
    }

    internal void TimeOut(RequestExchange exchange)
    {
        if (exchange.IsDone)
        {
            return;
        }

        if (MustHold(exchange.From))
        {
            Hold(exchange.From, new ExchangeStep(CompleteTimeOut, exchange), null, 0);
            return; // a stalled requester notices its timeout when it wakes
        }

        CompleteTimeOut(exchange);
    }

    private void CompleteTimeOut(RequestExchange exchange)
    {
        if (exchange.IsDone || exchange.From.Crashed)
        {
            return;
        }

        Trace(SimTraceKind.RequestTimedOut, exchange.From.Endpoint, exchange.Target, 0);
        exchange.Complete(null);
    }

    private LinkProfile LinkFor(SwimEndpoint from, SwimEndpoint to) =>
        _links.Count > 0 && _links.TryGetValue((from, to), out LinkProfile? link) ? link : _defaultLink;

    private long DelayTicks(LinkProfile link)
    {
        long ticks = link.Latency.Ticks;
        long jitter = link.Jitter.Ticks;
        if (jitter > 0)
        {
            ticks += _random.NextInt64(jitter + 1); // uniform over 0..Jitter inclusive
        }

        return ticks;
    }

    private void Trace(SimTraceKind kind, SwimEndpoint from, SwimEndpoint to, int bytes) =>
        Traced?.Invoke(new SimTraceEvent(Clock.Elapsed, kind, from, to, bytes));

    private SimHost Host(SwimEndpoint endpoint) =>
        _hosts.TryGetValue(endpoint, out SimHost? host)
            ? host
            : throw new ArgumentException($"{nameof(endpoint)} {endpoint} has no transport; allowed: endpoints made with {nameof(CreateTransport)}.", nameof(endpoint));
}
