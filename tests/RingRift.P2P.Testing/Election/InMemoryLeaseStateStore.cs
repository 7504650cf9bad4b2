using RingRift.P2P.Election;

namespace RingRift.P2P.Testing.Election;

/// <summary>Keeps a voter's saved state in memory so a test can "restart" the voter from it.</summary>
public sealed class InMemoryLeaseStateStore : ILeaseStateStore
{
    private readonly Lock _gate = new();
    private VoterState? _state;

    public int SaveCount { get; private set; }

    public VoterState? Load()
    {
        lock (_gate) return _state;
    }

    public void Save(VoterState state)
    {
        lock (_gate)
        {
            _state = state;
            SaveCount++;
        }
    }
}
