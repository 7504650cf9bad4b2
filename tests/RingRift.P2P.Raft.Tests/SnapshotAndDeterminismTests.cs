using System.Text;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

public sealed class SnapshotAndDeterminismTests
{
    private static byte[] Snapshot(WorkQueueStateMachine machine)
    {
        using var stream = new MemoryStream();
        machine.WriteSnapshot(stream);
        return stream.ToArray();
    }

    private static WorkQueueStateMachine Read(byte[] bytes) => WorkQueueStateMachine.ReadSnapshot(new MemoryStream(bytes));

    /// <summary>Applies <paramref name="count"/> seeded commands to each machine (both get the same sequence), in batches of 1–4.</summary>
    private static void Drive(int seed, int count, params WorkQueueStateMachine[] machines)
    {
        var commands = new RandomCommands(seed);
        var batchRandom = new Random(seed + 1);
        var index = machines[0].LastAppliedIndex;
        for (var applied = 0; applied < count;)
        {
            var batch = Enumerable.Range(0, 1 + batchRandom.Next(4)).Select(_ => commands.Next()).ToList();
            index++;
            var term = 1 + index / 50;
            IReadOnlyList<WorkCommandResult>? first = null;
            foreach (var machine in machines)
            {
                var results = machine.ApplyBatch(batch, index, term);
                first ??= results;
            }
            foreach (var result in first!)
                commands.Saw(result);
            applied += batch.Count;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(2026)]
    public void SameRandomCommands_OnTwoMachines_GiveIdenticalSnapshots(int seed)
    {
        var a = new WorkQueueStateMachine();
        var b = new WorkQueueStateMachine();

        Drive(seed, 3_000, a, b);

        var snapshot = Snapshot(a);
        Assert.Equal(snapshot, Snapshot(b));
        Assert.True(a.Count > 0);
        Assert.True(a.Stats().Completed + a.Stats().Failed + a.Stats().Cancelled > 0, "the sequence should reach finished states");
    }

    [Fact]
    public void DifferentCommands_GiveDifferentSnapshots()
    {
        var a = new WorkQueueStateMachine();
        var b = new WorkQueueStateMachine();
        Drive(1, 500, a);
        Drive(2, 500, b);
        Assert.NotEqual(Snapshot(a), Snapshot(b));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(99)]
    public void SnapshotRoundTrip_ThenContinuing_EqualsNeverSnapshotting(int seed)
    {
        var straight = new WorkQueueStateMachine();
        var restarted = new WorkQueueStateMachine();
        var commands = new RandomCommands(seed);
        long index = 0;
        WorkCommandResult Step(WorkQueueStateMachine m, WorkCommand c) => m.Apply(c, index, 3);
        for (var i = 0; i < 4_000; i++)
        {
            var command = commands.Next();
            index++;
            var expected = Step(straight, command);
            var actual = Step(restarted, command);
            commands.Saw(expected);
            Assert.Equal(expected.Outcome, actual.Outcome);
            Assert.Equal(expected.Token, actual.Token);
            if (i % 1_000 == 500)
            {
                restarted = Read(Snapshot(restarted));
                Assert.Equal(index, restarted.LastAppliedIndex);
            }
        }
        Assert.Equal(Snapshot(straight), Snapshot(restarted));
    }

    [Fact]
    public void SnapshotRoundTrip_KeepsClaimTokensAndRecentIds()
    {
        var d = new MachineDriver();
        d.Add("w1");
        var claim = new ClaimWork("keep-me", d.Now, "w1", "n1");
        var token = d.Apply(claim).Token!;

        var restored = Read(Snapshot(d.Machine));
        var replay = restored.Apply(claim, d.NextIndex, 1);

        Assert.Equal(token, restored.GetClaimToken("w1"));
        Assert.True(replay.Claimed);
        Assert.Equal(token, replay.Token);
        Assert.Equal(1, restored.Get("w1")!.Attempts);
        Assert.Equal(1, restored.Stats().Claimed);
        Assert.Equal(WorkOutcome.FencingMismatch,
            restored.Apply(new CompleteWork("c9", 1, "w1", null, null, new FencingToken(1, 999)), d.NextIndex + 1, 1).Outcome);
    }

    [Fact]
    public void ReadSnapshot_FutureVersion_ThrowsNamingVersion()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"format_version":3,"items":[]}""");
        var error = Assert.Throws<InvalidDataException>(() => Read(bytes));
        Assert.Contains("format_version 3", error.Message);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("""{"items":[]}""", "format_version")]
    [InlineData("""{"format_version":1,"last_applied_index":1,"last_applied_slot":0,"last_version":1,"recent_capacity":10,"items":[{"item":{"work_id":"w","work_type":"selfplay","status":"claimed","version":1},"token":null}],"recent":[]}""", "fencing token")]
    [InlineData("""{"format_version":1,"last_applied_index":1,"last_applied_slot":0,"last_version":1,"recent_capacity":10,"items":[{"item":{"work_id":"w","work_type":"selfplay","version":1}""", "corrupt")]
    [InlineData("""{"format_version":1,"last_applied_index":1,"last_applied_slot":0,"last_version":1,"recent_capacity":10,"recent":[]}""", "no items")]
    public void ReadSnapshot_Corrupt_ThrowsNamingProblem(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ReadSnapshot_TruncatedRealSnapshot_Throws()
    {
        var d = new MachineDriver();
        d.Add("w1", JobType.Training);
        var bytes = Snapshot(d.Machine);
        Assert.Throws<InvalidDataException>(() => Read(bytes[..(bytes.Length / 2)]));
    }

    [Fact]
    public void EmptyMachine_RoundTrips()
    {
        var restored = Read(Snapshot(new WorkQueueStateMachine(5)));
        Assert.Equal(0, restored.Count);
        Assert.Equal(5, restored.RecentCommandCapacity);
        Assert.Equal(WorkStatus.Pending, restored.Apply(new AddWork("a", 1, new NewWork { WorkId = "x", WorkType = JobType.Sync }), 1, 1).Item!.Status);
    }
}
