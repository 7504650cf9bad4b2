using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Testing.WorkQueue;

namespace RingRift.P2P.Node.Tests.Coordination;

/// <summary>The shared IWorkQueue contract, run against the leader of three quorum-replicated SQLite voters.</summary>
public sealed class QuorumWorkQueueContractTests : WorkQueueContractTests
{
    private QuorumRig? _rig;
    private long _epoch;

    protected override async Task<IWorkQueue> CreateQueueAsync(FakeTimeProvider time)
    {
        _rig = await QuorumRig.StartAsync(time);
        return await _rig.LeadAsync("n3", ++_epoch);
    }

    /// <summary>Every voter restarts from disk; a leader takes over again at a new epoch.</summary>
    protected override async Task<IWorkQueue> RestartQueueAsync(IWorkQueue old, FakeTimeProvider time)
    {
        foreach (var id in QuorumRig.Ids) await _rig!.OpenAsync(id);
        return await _rig!.LeadAsync("n3", ++_epoch);
    }

    public override async Task DisposeAsync()
    {
        if (_rig is not null) await _rig.DisposeAsync();
    }
}
