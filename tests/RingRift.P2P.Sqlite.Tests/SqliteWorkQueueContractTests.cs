using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Testing.WorkQueue;

namespace RingRift.P2P.Sqlite.Tests;

/// <summary>The shared <see cref="IWorkQueue"/> contract run against <see cref="SqliteWorkQueue"/>, one temp file per test.</summary>
public sealed class SqliteWorkQueueContractTests : WorkQueueContractTests
{
    private readonly TempDatabase _temp = new();

    protected override async Task<IWorkQueue> CreateQueueAsync(FakeTimeProvider time) =>
        await SqliteWorkQueue.OpenAsync(_temp.QueuePath, time);

    protected override async Task<IWorkQueue> RestartQueueAsync(IWorkQueue old, FakeTimeProvider time)
    {
        await ((SqliteWorkQueue)old).DisposeAsync();
        return await SqliteWorkQueue.OpenAsync(_temp.QueuePath, time);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _temp.Dispose();
    }
}
