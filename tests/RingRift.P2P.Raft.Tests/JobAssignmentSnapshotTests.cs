using System.Text;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

public sealed class JobAssignmentSnapshotTests
{
    private static byte[] Snapshot(WorkQueueStateMachine machine)
    {
        using var stream = new MemoryStream();
        machine.WriteSnapshot(stream);
        return stream.ToArray();
    }

    private static WorkQueueStateMachine Read(byte[] bytes) => WorkQueueStateMachine.ReadSnapshot(new MemoryStream(bytes));

    private static WorkQueueStateMachine Read(string json) => Read(Encoding.UTF8.GetBytes(json));

    /// <summary>Applies <paramref name="count"/> seeded mixed commands to each machine, in batches of 1–4, starting after <paramref name="index"/>.</summary>
    private static long Drive(RandomJobCommands commands, int count, long index, params WorkQueueStateMachine[] machines)
    {
        var batches = new Random(count);
        for (var applied = 0; applied < count;)
        {
            var batch = Enumerable.Range(0, 1 + batches.Next(4)).Select(_ => commands.Next()).ToList();
            index++;
            IReadOnlyList<WorkCommandResult>? first = null;
            foreach (var machine in machines)
            {
                var results = machine.ApplyBatch(batch, index, 1 + index / 40);
                first ??= results;
            }
            foreach (var result in first!)
                commands.Saw(result);
            applied += batch.Count;
        }
        return index;
    }

    [Fact]
    public void SnapshotRoundTrip_KeepsJobsIndexesAndCounters()
    {
        var d = new MachineDriver();
        d.Now = 10; d.Apply(new AssignJob("a1", 10, "j2", "n1", JobType.Training, "w1"));
        d.Apply(new AssignJob("a2", 11, "j1", "n1", JobType.Sync, null));
        d.Apply(new AssignJob("a3", 12, "j3", "n2", JobType.Selfplay, null));
        d.Apply(new StartJob("s1", 13, "j2", "n1"));
        d.Apply(new CompleteJob("c1", 14, "j3", new JsonObject { ["games"] = 3 }, null));

        var restored = Read(Snapshot(d.Machine));

        Assert.Equal(Snapshot(d.Machine), Snapshot(restored));
        Assert.Equal(d.Machine.JobStats().ByNode, restored.JobStats().ByNode);
        Assert.Equal((1, 1, 1, 0), (restored.JobStats().Assigned, restored.JobStats().Running, restored.JobStats().Completed, restored.JobStats().Failed));
        Assert.Equal(["j1", "j2"], restored.JobsForNode("n1").Select(job => job.JobId));
        Assert.Equal(3, (int)restored.GetJob("j3")!.Result!["games"]!);
        Assert.Equal(13, restored.GetJob("j2")!.StartedAt);
        // the restored machine goes on enforcing the rules and remembering command ids
        Assert.Equal(WorkOutcome.FencingMismatch, restored.Apply(new CompleteJob("c2", 20, "j2", null, "n2"), d.NextIndex, 1).Outcome);
        Assert.True(restored.Apply(new StartJob("s1", 20, "j2", "n1"), d.NextIndex + 1, 1).IsOk); // a retry of s1
        Assert.Equal(WorkOutcome.Duplicate, restored.Apply(new AssignJob("a9", 20, "j1", "n9", JobType.Sync, null), d.NextIndex + 2, 1).Outcome);
    }

    [Fact]
    public void Snapshot_WritesFormatVersion2_WithJobsInOrdinalJobIdOrder()
    {
        var machine = new WorkQueueStateMachine();
        machine.Apply(new AssignJob("a1", 1, "b", "n1", JobType.Sync, null), 1, 1);
        machine.Apply(new AssignJob("a2", 1, "B", "n1", JobType.Sync, null), 2, 1);
        machine.Apply(new AssignJob("a3", 1, "a", "n1", JobType.Sync, null), 3, 1);

        var json = JsonNode.Parse(Snapshot(machine))!.AsObject();

        Assert.Equal(2, (int)json["format_version"]!);
        Assert.Equal(["B", "a", "b"], json["jobs"]!.AsArray().Select(job => (string)job!["job_id"]!));
    }

    [Fact]
    public void ReadSnapshot_Version1_WithoutJobs_RestoresItemsAndNoJobs()
    {
        // As the version-1 build wrote it: no "jobs" property, results without "job".
        const string v1 = """
            {"format_version":1,"last_applied_index":2,"last_applied_slot":0,"last_version":2,"recent_capacity":10,
             "items":[{"item":{"work_id":"w1","work_type":"selfplay","priority":50,"config":{"games":10},"status":"claimed",
               "claimed_by":"n1","attempts":1,"max_attempts":3,"timeout_seconds":60,"created_at":1000,"claimed_at":1001,
               "started_at":null,"completed_at":null,"result":null,"error":null,"version":2},
               "token":{"term":1,"index":2,"slot":0}}],
             "recent":[{"command_id":"c2","result":{"outcome":"ok","item":null,"items":[],"claimed":true,
               "token":{"term":1,"index":2,"slot":0},"message":null}}]}
            """;

        var restored = Read(v1);

        Assert.Equal(WorkStatus.Claimed, restored.Get("w1")!.Status);
        Assert.Equal(new FencingToken(1, 2), restored.GetClaimToken("w1"));
        Assert.Equal(0, restored.JobCount);
        Assert.Equal(0, restored.ActiveJobCount);
        Assert.Empty(restored.JobStats().ByNode);
        Assert.True(restored.Apply(new AssignJob("a1", 1002, "j1", "n1", JobType.Selfplay, "w1"), 3, 1).IsOk);
        Assert.Equal(2, (int)JsonNode.Parse(Snapshot(restored))!["format_version"]!); // re-written in the current format
    }

    [Fact]
    public void ReadSnapshot_Version1WrittenFromCurrentSnapshotWithoutJobs_EqualsOriginal()
    {
        var d = new MachineDriver();
        d.Add("w1");
        d.Claim("w1", "n1");
        var v2 = JsonNode.Parse(Snapshot(d.Machine))!.AsObject();
        v2["format_version"] = 1;
        v2.Remove("jobs");

        var restored = Read(Encoding.UTF8.GetBytes(v2.ToJsonString()));

        Assert.Equal(Snapshot(d.Machine), Snapshot(restored));
    }

    [Theory]
    [InlineData("""{"format_version":2,"last_applied_index":1,"last_applied_slot":0,"last_version":0,"recent_capacity":10,"items":[],"recent":[]}""", "no jobs array")]
    [InlineData("""{"format_version":2,"last_applied_index":1,"last_applied_slot":0,"last_version":0,"recent_capacity":10,"items":[],"jobs":[null],"recent":[]}""", "jobs[0] is null")]
    [InlineData("""{"format_version":2,"last_applied_index":1,"last_applied_slot":0,"last_version":0,"recent_capacity":10,"items":[],"jobs":[{"job_id":"j","node_id":"n","job_type":"sync"},{"job_id":"j","node_id":"m","job_type":"sync"}],"recent":[]}""", "repeats job_id 'j'")]
    [InlineData("""{"format_version":2,"last_applied_index":1,"last_applied_slot":0,"last_version":0,"recent_capacity":10,"items":[],"jobs":[{"job_id":"","node_id":"n","job_type":"sync"}],"recent":[]}""", "job_id")]
    [InlineData("""{"format_version":2,"last_applied_index":1,"last_applied_slot":0,"last_version":0,"recent_capacity":10,"items":[],"jobs":[{"job_id":"j","job_type":"sync"}],"recent":[]}""", "corrupt")]
    public void ReadSnapshot_BadJobs_ThrowsNamingProblem(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(json));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2026)]
    public void SameMixedCommands_OnTwoMachines_GiveIdenticalSnapshots(int seed)
    {
        var a = new WorkQueueStateMachine();
        var b = new WorkQueueStateMachine();

        Drive(new RandomJobCommands(seed), 3_000, 0, a, b);

        Assert.Equal(Snapshot(a), Snapshot(b));
        var stats = a.JobStats();
        Assert.True(stats.Completed > 0 && stats.Failed > 0 && stats.Running + stats.Assigned > 0, "the sequence should reach every status");
        Assert.Equal(stats.Assigned + stats.Running, stats.ByNode.Values.Sum());
        Assert.Equal(a.ActiveJobCount, stats.ByNode.Values.Sum());
    }

    [Fact]
    public void DifferentMixedCommands_GiveDifferentSnapshots()
    {
        var a = new WorkQueueStateMachine();
        var b = new WorkQueueStateMachine();
        Drive(new RandomJobCommands(1), 500, 0, a);
        Drive(new RandomJobCommands(2), 500, 0, b);
        Assert.NotEqual(Snapshot(a), Snapshot(b));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(77)]
    public void SnapshotMidway_ThenContinuing_EqualsNeverSnapshotting(int seed)
    {
        var straight = new WorkQueueStateMachine();
        var before = new WorkQueueStateMachine();
        var commands = new RandomJobCommands(seed);
        var index = Drive(commands, 1_500, 0, straight, before);

        var restarted = Read(Snapshot(before));
        Drive(commands, 1_500, index, straight, restarted);

        Assert.Equal(Snapshot(straight), Snapshot(restarted));
    }
}
