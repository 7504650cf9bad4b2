namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// Heap order of simulated events: due time in ticks, then insertion sequence, so events due at the
/// same instant run in the order they were scheduled.
/// </summary>
internal readonly record struct SimEventKey(long DueTicks, long Sequence) : IComparable<SimEventKey>
{
    public int CompareTo(SimEventKey other)
    {
        int byTime = DueTicks.CompareTo(other.DueTicks);
        return byTime != 0 ? byTime : Sequence.CompareTo(other.Sequence);
    }
}
