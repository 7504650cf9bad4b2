using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Storage;

namespace RingRift.P2P.Node.Tests.Jobs;

/// <summary>The runner on a full data dir: no job starts (its log would not fit) until space returns.</summary>
public sealed class JobRunnerStorageTests
{
    [Fact]
    public async Task WhileTheDataDirIsFull_NoJobStarts_AndTheClaimedItemStartsOnceSpaceReturns()
    {
        await using var rig = new RunnerRig();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        long free = 0;
        var looks = 0;
        var storage = new StorageHealth(rig.DataDir, reserveBytes: 0, time, _ =>
        {
            Interlocked.Increment(ref looks);
            return Interlocked.Read(ref free);
        });
        storage.Report(Path.Combine(rig.DataDir, "work_queue.db"), new IOException("No space left on device", OutOfSpace.Enospc));
        var runner = rig.Runner(rig.Jobs("selfplay", rig.Script("selfplay", "echo ran")), time: time);
        runner.Storage = storage;
        await runner.StartAsync(CancellationToken.None);
        rig.Claimed("w1");

        // Three polls that found the disk still full (each looks at the free space once).
        await RunnerRig.AdvanceUntil(time, () => Volatile.Read(ref looks) >= 3, "three polls on the full disk");
        Assert.Empty(rig.Port.Calls);
        Assert.Empty(runner.Snapshot().Running);

        Interlocked.Exchange(ref free, StorageHealth.MinRecoverBytes);
        await RunnerRig.AdvanceUntil(time, () => rig.Port.Calls.Contains("start w1"), "the claimed item started once space returned");
        Assert.False(storage.IsFull);
        await RunnerRig.AdvanceUntil(time, () => rig.Port.Get("w1").Status == WorkStatus.Completed, "w1 completed");
    }
}
