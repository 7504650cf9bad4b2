using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

/// <summary>
/// The prune command in the state machine: it drops only finished items that no unfinished item depends on,
/// every member that applies it ends in the same state, and a snapshot taken after it round-trips and no
/// longer holds the pruned items.
/// </summary>
public sealed class PruneWorkTests
{
    private static byte[] Snapshot(WorkQueueStateMachine machine)
    {
        using var stream = new MemoryStream();
        machine.WriteSnapshot(stream);
        return stream.ToArray();
    }

    private static WorkQueueStateMachine Read(byte[] bytes) => WorkQueueStateMachine.ReadSnapshot(new MemoryStream(bytes));

    private static int ItemsIn(byte[] snapshot) => System.Text.Json.Nodes.JsonNode.Parse(snapshot)!["items"]!.AsArray().Count;

    private static string[] Ids(FinishedItems finished) => finished.OldestFirst.Select(i => i.WorkId).ToArray();

    private static WorkItem AddWith(MachineDriver d, string id, JobType type, params string[] dependsOn) =>
        d.Apply(new AddWork(d.NewId(), d.Now, new NewWork { WorkId = id, WorkType = type, DependsOn = WorkDependencies.Of(dependsOn) })).Item!;

    private static void Finish(MachineDriver d, string id)
    {
        d.Now += 1;
        Assert.True(d.Claim(id, "n1").Claimed);
        Assert.True(d.Complete(id).IsOk);
    }

    /// <summary>c, a completed and e failed for good, in that order; b pending; a training and an evaluation completed; d completed and needed by w (still waiting for x).</summary>
    private static MachineDriver Filled()
    {
        var d = new MachineDriver();
        foreach (var id in new[] { "a", "b", "c", "d", "x" }) d.Add(id);
        d.Add("e", maxAttempts: 1);
        AddWith(d, "train", JobType.Training);
        AddWith(d, "eval", JobType.Evaluation);
        AddWith(d, "w", JobType.Selfplay, "d", "x");
        foreach (var id in new[] { "train", "c", "eval", "a", "d" }) Finish(d, id);
        d.Now += 1;
        Assert.True(d.Claim("e", "n1").Claimed);
        Assert.Equal(WorkStatus.Failed, d.Fail("e").Item!.Status);
        return d;
    }

    private static WorkCommandResult Prune(MachineDriver d, params string[] ids) => d.Apply(new PruneWork(d.NewId(), d.Now, ids));

    [Fact]
    public void OldestFinished_IsInFinishedOrder_WithoutUnfinishedItems_KeptTypes_OrDependenciesOfUnfinishedItems()
    {
        var d = Filled();

        Assert.Equal(["c", "a", "e"], Ids(d.Machine.OldestFinished(10)));
        Assert.Equal(3, d.Machine.OldestFinished(10).Count);
        Assert.Equal(["c"], Ids(d.Machine.OldestFinished(1)));
        Assert.Equal(3, d.Machine.OldestFinished(1).Count);
    }

    [Fact]
    public void Prune_DropsTheListedFinishedItems_PassesOverTheRest_AndTheCountsFollow()
    {
        var d = Filled();
        var before = d.Machine.Stats();

        var result = Prune(d, "c", "b", "e", "no-such-item", "c");

        Assert.True(result.IsOk);
        Assert.Equal(2, result.Pruned);
        Assert.Null(d.Machine.Get("c"));
        Assert.Null(d.Machine.Get("e"));
        Assert.Equal(WorkStatus.Pending, d.Machine.Get("b")!.Status);
        var after = d.Machine.Stats();
        Assert.Equal((before.Completed - 1, before.Failed - 1, before.Total - 2), (after.Completed, after.Failed, after.Total));
        Assert.Equal(["a"], Ids(d.Machine.OldestFinished(10)));
        Assert.Equal(before.Total - 2, d.Machine.List(limit: 100).Count);
    }

    [Fact]
    public void Prune_PassesOverADependencyOfAnUnfinishedItem_SoTheDependentStillRunsOnceItsOtherDependencyCompletes()
    {
        var d = Filled();

        Assert.Equal(0, Prune(d, "d").Pruned);

        Finish(d, "x");
        Assert.Equal("b", d.ClaimNext("n2").Item!.WorkId); // same priority and age: work id order
        Assert.Equal("w", d.ClaimNext("n2").Item!.WorkId); // w is claimable: d is still there, completed
        Assert.Equal(0, Prune(d, "d").Pruned); // w may still fail back to pending and need d again
        Assert.True(d.Complete("w").IsOk);
        Assert.Equal(1, Prune(d, "d").Pruned); // once w has finished, nothing needs d
    }

    [Fact]
    public void APrunedId_CanBeAddedAgain()
    {
        var d = Filled();
        Prune(d, "c");

        var again = d.Apply(new AddWork(d.NewId(), d.Now, new NewWork { WorkId = "c", WorkType = JobType.Selfplay }));

        Assert.True(again.IsOk);
        Assert.Equal(WorkStatus.Pending, d.Machine.Get("c")!.Status);
    }

    [Fact]
    public void Prune_WithNoIdsOrAnEmptyId_IsAnInvalidCommand_ThatChangesNothing()
    {
        var d = Filled();
        var before = Snapshot(d.Machine);

        Assert.Equal(WorkOutcome.InvalidCommand, Prune(d).Outcome);
        Assert.Equal(WorkOutcome.InvalidCommand, Prune(d, "c", "").Outcome);

        Assert.NotNull(d.Machine.Get("c"));
        Assert.Equal(d.Machine.Stats(), Read(before).Stats());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(2026)]
    public void SamePrunes_AmongRandomCommands_OnTwoMachines_GiveIdenticalResultsAndSnapshots_AndNeverDropAnUnfinishedItem(int seed)
    {
        var a = new WorkQueueStateMachine();
        var b = new WorkQueueStateMachine();
        var commands = new RandomCommands(seed);
        var allIds = Enumerable.Range(0, 12).Select(i => $"w{i}").ToArray(); // every id RandomCommands uses
        var pruned = 0;
        for (var index = 1L; index <= 3_000; index++)
        {
            WorkCommand command = index % 50 == 0
                ? new PruneWork($"p{index}", index, [.. Ids(a.OldestFinished(500)), .. allIds])
                : commands.Next();
            var unfinishedBefore = Unfinished(a);
            var first = a.Apply(command, index, 1);
            var second = b.Apply(command, index, 1);
            commands.Saw(first);
            Assert.Equal((first.Outcome, first.Pruned, first.Item?.Version), (second.Outcome, second.Pruned, second.Item?.Version));
            if (command is not PruneWork) continue;
            pruned += first.Pruned;
            Assert.True(unfinishedBefore.SetEquals(Unfinished(a)), "a prune never touches an unfinished item");
            Assert.Empty(a.OldestFinished(500).OldestFirst); // and drops every finished one offered
        }

        Assert.True(pruned > 0, "the sequence should have finished items to prune");
        Assert.Equal(Snapshot(a), Snapshot(b));
    }

    private static HashSet<(string, WorkStatus, long)> Unfinished(WorkQueueStateMachine machine) =>
        machine.Unfinished().Select(i => (i.WorkId, i.Status, i.Version)).ToHashSet();

    [Fact]
    public void SnapshotAfterPrune_IsSmaller_RoundTrips_AndTheRestoredMachineGoesOnAsTheOriginal()
    {
        var d = Filled();
        var bulk = Enumerable.Range(0, 200).Select(i => $"bulk{i}").ToArray();
        foreach (var id in bulk)
        {
            d.Add(id);
            Finish(d, id);
        }
        var full = Snapshot(d.Machine);

        Assert.Equal(200, Prune(d, bulk).Pruned);
        var pruned = Snapshot(d.Machine);
        var restored = Read(pruned);

        // The snapshot's items are the nine left (its recent command results still hold copies of what they returned, a bounded 10,000).
        Assert.Equal((209, 9), (ItemsIn(full), ItemsIn(pruned)));
        Assert.True(pruned.Length < full.Length, $"snapshot of {pruned.Length} bytes after pruning 200 of 209 items; {full.Length} before");
        Assert.Equal(pruned, Snapshot(restored));
        Assert.Equal(d.Machine.Stats(), restored.Stats());
        Assert.Equal(["c", "a", "e"], Ids(restored.OldestFinished(10)));

        // The restored machine tracks finished items as the original does: the same commands keep them equal.
        WorkCommand[] more =
        [
            new AddWork("more-1", d.Now + 1, new NewWork { WorkId = "y", WorkType = JobType.Selfplay }),
            new ClaimWork("more-2", d.Now + 2, "y", "n1"),
            new CompleteWork("more-3", d.Now + 3, "y", null, "n1", null),
            new PruneWork("more-4", d.Now + 4, ["y", "a"]),
        ];
        foreach (var machine in new[] { d.Machine, restored })
        {
            var index = d.NextIndex;
            var results = more.Select(c => machine.Apply(c, index++, 1)).ToList();
            Assert.All(results, r => Assert.True(r.IsOk));
            Assert.Equal(2, results[^1].Pruned);
            Assert.Equal(["c", "e"], Ids(machine.OldestFinished(10)));
        }
        Assert.Equal(Snapshot(d.Machine), Snapshot(restored));
    }

    [Fact]
    public void ARestoredSnapshot_OffersTheSameOldestFinished_AsTheMachineThatWroteIt()
    {
        var d = Filled();

        var restored = Read(Snapshot(d.Machine));

        Assert.Equal(Ids(d.Machine.OldestFinished(10)), Ids(restored.OldestFinished(10)));
        Assert.Equal(d.Machine.OldestFinished(10).Count, restored.OldestFinished(10).Count);
    }
}
