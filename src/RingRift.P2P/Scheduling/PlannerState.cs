using RingRift.P2P.Jobs;
using RingRift.P2P.Models;

namespace RingRift.P2P.Scheduling;

/// <summary>
/// The mutable state of one planning round: free slots per node and pool, and one lazy candidate
/// heap per work type. Placing an item takes a slot from the chosen node's pool, bumps that pool's
/// version (so older heap entries of the node become stale) and pushes fresh entries for every
/// work type that draws on the same pool. The types are those of the round's pending items (numbered
/// here in the order given). Cost: O((nodes + placements) · types · log nodes).
/// </summary>
internal sealed class PlannerState
{
    private readonly JobType[] _types;
    private readonly Dictionary<JobType, int> _typeIndex;

    private int TypeCount => _types.Length;
    private const int Gpu = 0;
    private const int Cpu = 1;

    private readonly NodeSummary[] _nodes;
    private readonly double[] _power;
    private readonly double[] _load;
    private readonly bool[] _eligible;      // [node * types + t]: node n takes new jobs of type t
    private readonly int[] _total;          // [node * 2 + pool]
    private readonly int[] _free;
    private readonly int[] _version;
    private readonly PriorityQueue<int, CandidateKey>[] _heaps;
    private readonly int[] _capableAlive;
    private readonly int[] _healthy;
    private readonly int[] _accepting;

    public PlannerState(IReadOnlyList<NodeCandidate> candidates, double loadMaxForNewJobs, IReadOnlyList<JobType> types)
    {
        var count = candidates.Count;
        _types = [.. types.Distinct()];
        _typeIndex = _types.Select((type, i) => (type, i)).ToDictionary(p => p.type, p => p.i);
        _heaps = new PriorityQueue<int, CandidateKey>[TypeCount];
        _capableAlive = new int[TypeCount];
        _healthy = new int[TypeCount];
        _accepting = new int[TypeCount];
        _nodes = new NodeSummary[count];
        _power = new double[count];
        _load = new double[count];
        _eligible = new bool[count * TypeCount];
        _total = new int[count * 2];
        _free = new int[count * 2];
        _version = new int[count * 2];
        for (var t = 0; t < TypeCount; t++)
            _heaps[t] = new PriorityQueue<int, CandidateKey>(CandidateKeyComparer.Instance);

        var ids = new HashSet<string>(count, StringComparer.Ordinal);
        for (var n = 0; n < count; n++)
        {
            var candidate = candidates[n] ?? throw new ArgumentException($"nodes[{n}] is null; every candidate must be given", nameof(candidates));
            var summary = candidate.Summary ?? throw new ArgumentException($"nodes[{n}].summary is null", nameof(candidates));
            if (string.IsNullOrWhiteSpace(summary.NodeId))
                throw new ArgumentException($"nodes[{n}].node_id is empty; every candidate needs an id", nameof(candidates));
            if (!ids.Add(summary.NodeId))
                throw new ArgumentException($"node_id '{summary.NodeId}' appears twice in nodes; each node may be listed once", nameof(candidates));
            if (candidate.UsedGpuSlots < 0 || candidate.UsedCpuSlots < 0)
                throw new ArgumentException($"nodes[{n}] ('{summary.NodeId}') has used slots gpu={candidate.UsedGpuSlots} cpu={candidate.UsedCpuSlots}; both must be >= 0", nameof(candidates));

            _nodes[n] = summary;
            _power[n] = double.IsFinite(summary.GpuPower) && summary.GpuPower > 0 ? summary.GpuPower : 0;
            _load[n] = Math.Clamp(summary.Resources.LoadScore, 0, 1);
            _total[n * 2 + Gpu] = Math.Max(0, summary.GpuSlots);
            _total[n * 2 + Cpu] = Math.Max(0, summary.CpuSlots);
            _free[n * 2 + Gpu] = Math.Max(0, _total[n * 2 + Gpu] - candidate.UsedGpuSlots);
            _free[n * 2 + Cpu] = Math.Max(0, _total[n * 2 + Cpu] - candidate.UsedCpuSlots);
            Census(n, candidate.Alive, loadMaxForNewJobs);
        }

        for (var n = 0; n < count; n++)
        {
            for (var t = 0; t < TypeCount; t++)
                PushIfFree(n, t);
        }
    }

    /// <summary>Takes a slot on the best node for <paramref name="type"/>; false when no eligible node has one free.</summary>
    public bool TryPlace(JobType type, out string nodeId, out double score)
    {
        if (!_typeIndex.TryGetValue(type, out var t)) throw new ArgumentException($"work type '{type}' was not given to this round", nameof(type));
        var heap = _heaps[t];
        while (heap.TryPeek(out var n, out var key))
        {
            heap.Dequeue();
            var pool = n * 2 + PoolOf(t, n);
            if (key.Version != _version[pool]) continue; // the node's pool changed since this entry was pushed

            nodeId = key.NodeId;
            score = key.Primary;
            _free[pool]--;
            _version[pool]++;
            for (var other = 0; other < TypeCount; other++)
                PushIfFree(n, other);
            return true;
        }
        nodeId = "";
        score = 0;
        return false;
    }

    /// <summary>Why an item of <paramref name="type"/> found no node (see <see cref="UnplacedReason"/> for the order).</summary>
    public UnplacedReason ReasonFor(JobType type)
    {
        if (!_typeIndex.TryGetValue(type, out var t)) throw new ArgumentException($"work type '{type}' was not given to this round", nameof(type));
        if (_capableAlive[t] == 0) return UnplacedReason.NoCapableNode;
        if (_healthy[t] == 0) return UnplacedReason.NoHealthyNode;
        if (_accepting[t] == 0) return UnplacedReason.AllOverloaded;
        return UnplacedReason.NoFreeSlot;
    }

    private void Census(int n, bool alive, double loadMaxForNewJobs)
    {
        if (!alive) return;
        var summary = _nodes[n];
        var healthy = summary.Health == NodeHealth.Healthy;
        var accepting = summary.CanAcceptNewJobs(loadMaxForNewJobs);
        var seen = new bool[TypeCount];
        foreach (var type in summary.Capabilities)
        {
            if (!_typeIndex.TryGetValue(type, out var t)) continue; // no pending item of this type this round
            if (seen[t]) continue;                                  // capability listed twice: count once
            seen[t] = true;
            _capableAlive[t]++;
            if (healthy) _healthy[t]++;
            if (!accepting) continue;
            _accepting[t]++;
            _eligible[n * TypeCount + t] = true;
        }
    }

    private void PushIfFree(int n, int t)
    {
        if (!_eligible[n * TypeCount + t]) return;
        var pool = n * 2 + PoolOf(t, n);
        if (_free[pool] <= 0) return;
        _heaps[t].Enqueue(n, new CandidateKey(Score(t, n, pool), _load[n], _nodes[n].NodeId, _version[pool]));
    }

    /// <summary>The rule value of node <paramref name="n"/> for work type <paramref name="t"/>; see <see cref="PlacementPlanner"/>.</summary>
    private double Score(int t, int n, int pool) => PlacementPlanner.RuleOf(_types[t]) switch
    {
        PlacementRule.HighestGpuPower => _power[n],
        PlacementRule.MostFreeCpuSlots => _free[pool],
        _ => _power[n] * (1 - _load[n]) * _free[pool] / _total[pool],
    };

    private int PoolOf(int t, int n) =>
        JobSlots.KindOf(_types[t], _nodes[n]) == SlotKind.Gpu ? Gpu : Cpu;
}
