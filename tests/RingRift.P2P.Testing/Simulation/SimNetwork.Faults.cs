using RingRift.P2P.Swim;

namespace RingRift.P2P.Testing.Simulation;

/// <summary>Faults: partitions, one-way blocks, crashes and stalls.</summary>
public sealed partial class SimNetwork
{
    private readonly Dictionary<SwimEndpoint, int> _partitionGroup = [];
    private readonly HashSet<(SwimEndpoint From, SwimEndpoint To)> _blocked = [];
    private bool _partitioned;

    /// <summary>True while a partition set by <see cref="Partition"/> is in force.</summary>
    public bool IsPartitioned => _partitioned;

    /// <summary>
    /// Splits the network: endpoints in different groups cannot reach each other (both directions);
    /// endpoints in no group form one more group together. Replaces any earlier partition; one-way
    /// blocks stay. Messages already in flight across the cut are lost on arrival.
    /// </summary>
    /// <exception cref="ArgumentException">An endpoint is listed in two groups.</exception>
    public void Partition(params IEnumerable<SwimEndpoint>[] groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var assignment = new Dictionary<SwimEndpoint, int>();
        for (int g = 0; g < groups.Length; g++)
        {
            ArgumentNullException.ThrowIfNull(groups[g], $"{nameof(groups)}[{g}]");
            foreach (SwimEndpoint endpoint in groups[g])
            {
                if (assignment.TryGetValue(endpoint, out int other) && other != g + 1)
                {
                    throw new ArgumentException($"{nameof(groups)}: {endpoint} is in group {other - 1} and group {g}; allowed: each endpoint in at most one group.", nameof(groups));
                }

                assignment[endpoint] = g + 1; // 0 is the group of unlisted endpoints
            }
        }

        _partitionGroup.Clear();
        foreach ((SwimEndpoint endpoint, int group) in assignment)
        {
            _partitionGroup[endpoint] = group;
        }

        _partitioned = true;
    }

    /// <summary>Ends the partition (one-way blocks stay until <see cref="Unblock"/>).</summary>
    public void Heal()
    {
        _partitionGroup.Clear();
        _partitioned = false;
    }

    /// <summary>Drops everything sent from <paramref name="from"/> to <paramref name="to"/>; the other
    /// direction still works.</summary>
    public void Block(SwimEndpoint from, SwimEndpoint to) => _blocked.Add((from, to));

    /// <summary>Undoes <see cref="Block"/> for that direction.</summary>
    public void Unblock(SwimEndpoint from, SwimEndpoint to) => _blocked.Remove((from, to));

    /// <summary>True when nothing (partition or block) stops traffic from <paramref name="from"/> to
    /// <paramref name="to"/> right now; crashes are not considered.</summary>
    public bool CanReach(SwimEndpoint from, SwimEndpoint to)
    {
        if (from == to)
        {
            return true; // loopback never partitions
        }

        if (_partitioned && GroupOf(from) != GroupOf(to))
        {
            return false;
        }

        return _blocked.Count == 0 || !_blocked.Contains((from, to));
    }

    /// <summary>
    /// Kills the host: everything to or from it is dropped, work queued by a stall is discarded, and its
    /// node timers (from <see cref="TimeProviderFor"/>) never fire again. Lasts until <see cref="Restart"/>.
    /// Idempotent.
    /// </summary>
    public void Crash(SwimEndpoint endpoint)
    {
        SimHost host = Host(endpoint);
        if (host.Crashed)
        {
            return;
        }

        host.Crashed = true;
        host.StalledUntilTicks = 0;
        while (host.Held.TryDequeue(out (SimWork Work, SimHost? Sender) held))
        {
            if (held.Sender is not null)
            {
                held.Sender.Counters.DroppedCrash++;
            }
        }

        Crashed?.Invoke(endpoint);
    }

    /// <summary>Brings a crashed host back: its transport delivers again, to whatever handlers are attached
    /// next. Timers of its previous life stay silent; the driver builds a fresh node with a fresh
    /// <see cref="TimeProviderFor"/>. No effect on a running host.</summary>
    public void Restart(SwimEndpoint endpoint)
    {
        SimHost host = Host(endpoint);
        if (!host.Crashed)
        {
            return;
        }

        host.Crashed = false;
        host.Life++;
        host.OnPacket = null; // the old process's handlers died with it
        host.OnRequest = null;
        Restarted?.Invoke(endpoint);
    }

    /// <summary>True while the host is crashed.</summary>
    public bool IsCrashed(SwimEndpoint endpoint) => Host(endpoint).Crashed;

    /// <summary>
    /// Freezes the host for <paramref name="duration"/> (&gt; 0) from now, like a CPU-starved box: what
    /// reaches it meanwhile is queued in arrival order and handed over when the stall ends, and its node
    /// timers are deferred until then. A stall that overlaps an earlier one extends it. Ignored for a
    /// crashed host.
    /// </summary>
    public void Stall(SwimEndpoint endpoint, TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, $"{nameof(duration)} is {duration}; allowed: > 00:00:00.");
        }

        SimHost host = Host(endpoint);
        if (host.Crashed)
        {
            return; // a dead process cannot be starved
        }

        long until = Clock.NowTicks + duration.Ticks;
        if (until <= host.StalledUntilTicks)
        {
            return; // already stalled at least that long
        }

        host.StalledUntilTicks = until;
        Clock.Enqueue(new ActionWork(() => Release(host)), 0, until);
    }

    /// <summary>True while the host is inside a stall (a node driver skips its own work then).</summary>
    public bool IsStalled(SwimEndpoint endpoint) => IsStalledNow(Host(endpoint));

    /// <summary>When the host's current stall ends, or null when it is not stalled.</summary>
    public DateTimeOffset? StalledUntil(SwimEndpoint endpoint)
    {
        SimHost host = Host(endpoint);
        return IsStalledNow(host) ? Clock.Start + TimeSpan.FromTicks(host.StalledUntilTicks) : null;
    }

    internal bool IsStalledNow(SimHost host) => Clock.NowTicks < host.StalledUntilTicks;

    /// <summary>Work for <paramref name="host"/> must wait while it is stalled, and also while earlier
    /// held work is still queued (so nothing overtakes it at the instant the stall ends).</summary>
    internal bool MustHold(SimHost host) => IsStalledNow(host) || host.Held.Count > 0;

    internal void Hold(SimHost host, SimWork work, SimHost? sender, int bytes)
    {
        host.Held.Enqueue((work, sender));
        if (sender is not null)
        {
            Trace(SimTraceKind.Held, sender.Endpoint, host.Endpoint, bytes);
        }
    }

    private void Release(SimHost host)
    {
        while (!host.Crashed && !IsStalledNow(host) && host.Held.TryDequeue(out (SimWork Work, SimHost? Sender) held))
        {
            held.Work.Execute();
        }
    }

    private int GroupOf(SwimEndpoint endpoint) => _partitionGroup.TryGetValue(endpoint, out int group) ? group : 0;
}
