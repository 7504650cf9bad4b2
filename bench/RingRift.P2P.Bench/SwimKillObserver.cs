using System.Diagnostics;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Bench;

/// <summary>
/// Collects the in-process nodes' <see cref="SwimNode.MemberFailed"/> and
/// <see cref="SwimNode.MemberSuspect"/> events for <c>swim-kill</c>: when each observer declared the
/// current victim dead after its kill, and every Dead mark that is an error (an in-process node, or the
/// victim before it was killed). Thread-safe: the events arrive on timer and socket threads.
/// </summary>
public sealed class SwimKillObserver
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HashSet<string> _healthy;
    private readonly Dictionary<int, double> _deadAtMs = [];
    private readonly List<string> _falsePositives = [];
    private string? _victim;
    private double? _killedAtMs;
    private int _healthySuspects;

    /// <param name="healthyIds">Ids of the in-process nodes, which are never killed.</param>
    public SwimKillObserver(IEnumerable<string> healthyIds) => _healthy = [.. healthyIds];

    /// <summary>Milliseconds since this observer was created.</summary>
    public double NowMs => _clock.Elapsed.TotalMilliseconds;

    /// <summary>Dead marks that should not have happened, as "observer:member (when)".</summary>
    public IReadOnlyList<string> FalsePositives
    {
        get
        {
            lock (_gate)
            {
                return [.. _falsePositives];
            }
        }
    }

    /// <summary>Suspect marks about in-process (healthy) nodes: not errors, but a sign of a loaded machine.</summary>
    public int HealthySuspects
    {
        get
        {
            lock (_gate)
            {
                return _healthySuspects;
            }
        }
    }

    /// <summary>Subscribes to <paramref name="node"/>'s events as observer number <paramref name="index"/>.</summary>
    public void Watch(int index, SwimNode node)
    {
        node.MemberFailed += m => OnFailed(index, node.SelfId, m);
        node.MemberSuspect += m => OnSuspect(m);
    }

    /// <summary>A new victim that is alive and healthy; clears the previous trial's marks.</summary>
    public void Arm(string victimId)
    {
        lock (_gate)
        {
            _victim = victimId;
            _killedAtMs = null;
            _deadAtMs.Clear();
        }
    }

    /// <summary>Records the kill instant (call right before the SIGKILL) and returns it in ms.</summary>
    public double MarkKilled()
    {
        lock (_gate)
        {
            _killedAtMs = NowMs;
            return _killedAtMs.Value;
        }
    }

    /// <summary>Observers that have declared the victim dead since its kill.</summary>
    public int DeadCount
    {
        get
        {
            lock (_gate)
            {
                return _deadAtMs.Count;
            }
        }
    }

    /// <summary>Each observer's ms from the kill to its Dead mark.</summary>
    public IReadOnlyDictionary<int, double> DetectionMs()
    {
        lock (_gate)
        {
            double killed = _killedAtMs ?? double.NaN;
            return _deadAtMs.ToDictionary(kv => kv.Key, kv => kv.Value - killed);
        }
    }

    private void OnFailed(int observer, string observerId, SwimMember member)
    {
        lock (_gate)
        {
            double now = NowMs;
            if (member.NodeId == _victim)
            {
                if (_killedAtMs is null)
                {
                    _falsePositives.Add($"{observerId}:{member.NodeId} (victim, before its kill)");
                    return;
                }

                _deadAtMs.TryAdd(observer, now);
                return;
            }

            if (_healthy.Contains(member.NodeId))
            {
                _falsePositives.Add($"{observerId}:{member.NodeId} (at {now / 1000:F1} s)");
            }

            // Anything else is an earlier victim: already counted when it was detected.
        }
    }

    private void OnSuspect(SwimMember member)
    {
        lock (_gate)
        {
            if (_healthy.Contains(member.NodeId))
            {
                _healthySuspects++;
            }
        }
    }
}
