using RingRift.P2P.Swim;

namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// Builder of a <see cref="SimScenario"/>'s faults. Each call puts the fault on the clock at once, at a
/// time measured from the scenario's start (not before the current virtual time), and returns the
/// builder for chaining, e.g.
/// <c>scenario.Faults.Crash(3, at: 10s).StallEvery(5, every: 1 min, duration: 2 s).Partition(20 s, 40 s, [0, 1], [2, 3])</c>.
/// Every fault applied is recorded in <see cref="Applied"/>.
/// </summary>
public sealed class FaultSchedule
{
    private readonly SimScenario _scenario;
    private readonly List<string> _applied = [];

    internal FaultSchedule(SimScenario scenario) => _scenario = scenario;

    /// <summary>Faults applied so far, one line each: "&lt;elapsed&gt; &lt;what&gt;".</summary>
    public IReadOnlyList<string> Applied => _applied;

    private SimNetwork Network => _scenario.Network;

    /// <summary>Crashes node <paramref name="node"/> at <paramref name="at"/>.</summary>
    public FaultSchedule Crash(int node, TimeSpan at)
    {
        SwimEndpoint endpoint = _scenario.Endpoint(node);
        return At(at, $"crash {node}", () => Network.Crash(endpoint));
    }

    /// <summary>Restarts node <paramref name="node"/> at <paramref name="at"/> (see <see cref="SimNetwork.Restart"/>).</summary>
    public FaultSchedule Restart(int node, TimeSpan at)
    {
        SwimEndpoint endpoint = _scenario.Endpoint(node);
        return At(at, $"restart {node}", () => Network.Restart(endpoint));
    }

    /// <summary>Stalls node <paramref name="node"/> for <paramref name="duration"/> at <paramref name="at"/>.</summary>
    public FaultSchedule Stall(int node, TimeSpan at, TimeSpan duration)
    {
        SwimEndpoint endpoint = _scenario.Endpoint(node);
        RequirePositive(duration, nameof(duration));
        return At(at, $"stall {node} for {duration}", () => Network.Stall(endpoint, duration));
    }

    /// <summary>
    /// Stalls node <paramref name="node"/> for <paramref name="duration"/> every <paramref name="every"/>,
    /// first at <paramref name="firstAt"/> (default: one period from the start), last no later than
    /// <paramref name="until"/> (default: forever).
    /// </summary>
    public FaultSchedule StallEvery(int node, TimeSpan every, TimeSpan duration, TimeSpan? firstAt = null, TimeSpan? until = null)
    {
        SwimEndpoint endpoint = _scenario.Endpoint(node);
        RequirePositive(every, nameof(every));
        RequirePositive(duration, nameof(duration));
        TimeSpan first = firstAt ?? every;
        TimeSpan last = until ?? TimeSpan.MaxValue;
        return first > last ? this : At(first, $"stall {node} for {duration}", () => StallAndRepeat(endpoint, node, every, duration, first, last));
    }

    /// <summary>Partitions the nodes into <paramref name="groups"/> (node indexes; unlisted nodes form one
    /// more group) at <paramref name="at"/>, and heals at <paramref name="healAt"/> when given.</summary>
    public FaultSchedule Partition(TimeSpan at, TimeSpan? healAt, params IEnumerable<int>[] groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        SwimEndpoint[][] endpoints = [.. groups.Select(g => g.Select(_scenario.Endpoint).ToArray())];
        string shape = string.Join(" | ", groups.Select(g => string.Join(",", g)));
        At(at, $"partition {shape}", () => Network.Partition(endpoints));
        if (healAt is { } heal)
        {
            if (heal < at)
            {
                throw new ArgumentOutOfRangeException(nameof(healAt), heal, $"{nameof(healAt)} is {heal}; allowed: >= {nameof(at)} ({at}).");
            }

            Heal(heal);
        }

        return this;
    }

    /// <summary>Heals the partition at <paramref name="at"/>.</summary>
    public FaultSchedule Heal(TimeSpan at) => At(at, "heal", Network.Heal);

    /// <summary>Blocks node <paramref name="from"/> → node <paramref name="to"/> at <paramref name="at"/>,
    /// until <paramref name="unblockAt"/> when given.</summary>
    public FaultSchedule Block(int from, int to, TimeSpan at, TimeSpan? unblockAt = null)
    {
        SwimEndpoint a = _scenario.Endpoint(from);
        SwimEndpoint b = _scenario.Endpoint(to);
        At(at, $"block {from}->{to}", () => Network.Block(a, b));
        return unblockAt is { } end ? At(end, $"unblock {from}->{to}", () => Network.Unblock(a, b)) : this;
    }

    /// <summary>Switches every link without its own profile to <paramref name="profile"/> at <paramref name="at"/>.</summary>
    public FaultSchedule DefaultLink(TimeSpan at, LinkProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return At(at, $"default link {profile}", () => Network.DefaultLink = profile);
    }

    /// <summary>Runs <paramref name="action"/> at <paramref name="at"/>, recorded as <paramref name="what"/>.</summary>
    public FaultSchedule At(TimeSpan at, string what, Action action)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        ArgumentNullException.ThrowIfNull(action);
        if (at < _scenario.Elapsed)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, $"{nameof(at)} is {at}; allowed: >= the current virtual time ({_scenario.Elapsed}).");
        }

        _scenario.Clock.Schedule(at - _scenario.Elapsed, () =>
        {
            _applied.Add($"{_scenario.Elapsed} {what}");
            action();
        });
        return this;
    }

    private void StallAndRepeat(SwimEndpoint endpoint, int node, TimeSpan every, TimeSpan duration, TimeSpan now, TimeSpan last)
    {
        Network.Stall(endpoint, duration);
        TimeSpan next = now + every;
        if (next <= last)
        {
            At(next, $"stall {node} for {duration}", () => StallAndRepeat(endpoint, node, every, duration, next, last));
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; allowed: > 00:00:00.");
        }
    }
}
