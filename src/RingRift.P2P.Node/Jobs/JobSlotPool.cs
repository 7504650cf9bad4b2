using RingRift.P2P.Jobs;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// The node's GPU and CPU slots. GPU slot i runs on GPU i / per_gpu, so with per_gpu = 2 slots 0
/// and 1 share GPU 0. The lowest free slot is handed out first.
/// </summary>
internal sealed class JobSlotPool
{
    private readonly bool[] _gpu;
    private readonly bool[] _cpu;
    private readonly int _perGpu;

    public JobSlotPool(int gpuCount, int perGpu, int cpuSlots)
    {
        _perGpu = perGpu;
        _gpu = new bool[gpuCount * perGpu];
        _cpu = new bool[cpuSlots];
    }

    public int GpuTotal => _gpu.Length;
    public int CpuTotal => _cpu.Length;
    public int GpuUsed => _gpu.Count(used => used);
    public int CpuUsed => _cpu.Count(used => used);

    public bool HasFree(SlotKind kind) => Array.IndexOf(Pool(kind), false) >= 0;

    /// <summary>Takes the lowest free slot of <paramref name="kind"/>; false when all are taken.</summary>
    public bool TryTake(SlotKind kind, out int slot)
    {
        slot = Array.IndexOf(Pool(kind), false);
        if (slot < 0) return false;
        Pool(kind)[slot] = true;
        return true;
    }

    /// <summary>Takes <paramref name="slot"/> if it exists and is free (a reattached job keeps its slot).</summary>
    public bool TryTakeExact(SlotKind kind, int slot)
    {
        var pool = Pool(kind);
        if (slot < 0 || slot >= pool.Length || pool[slot]) return false;
        pool[slot] = true;
        return true;
    }

    public void Release(SlotKind kind, int slot)
    {
        var pool = Pool(kind);
        if (slot >= 0 && slot < pool.Length) pool[slot] = false;
    }

    /// <summary>The GPU a slot runs on: slot / per_gpu for GPU slots, null for CPU slots.</summary>
    public int? GpuOf(SlotKind kind, int slot) => kind == SlotKind.Gpu && slot >= 0 ? slot / _perGpu : null;

    private bool[] Pool(SlotKind kind) => kind == SlotKind.Gpu ? _gpu : _cpu;
}
