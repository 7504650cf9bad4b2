using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

public sealed class JobAssignmentReplicatedTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly LocalWorkCommandLog _log;
    private readonly ReplicatedJobAssignments _jobs;

    public JobAssignmentReplicatedTests()
    {
        _log = new LocalWorkCommandLog(_time);
        _jobs = new ReplicatedJobAssignments(_log);
    }

    [Fact]
    public async Task Lifecycle_AssignStartComplete_StampsLogClockInUnixSeconds()
    {
        var assigned = await _jobs.AssignJobAsync("j1", "n1", JobType.Training, "w1");
        _time.Advance(TimeSpan.FromMilliseconds(1_500));
        var running = await _jobs.StartJobAsync("j1", "n1");
        _time.Advance(TimeSpan.FromSeconds(60));
        var done = await _jobs.CompleteJobAsync("j1", new JsonObject { ["games"] = 8 }, "n1");

        Assert.Equal((JobAssignmentStatus.Assigned, 1_700_000_000.0), (assigned.Status, assigned.AssignedAt));
        Assert.Equal((JobAssignmentStatus.Running, 1_700_000_001.5), (running.Status, running.StartedAt!.Value));
        Assert.Equal((JobAssignmentStatus.Completed, 1_700_000_061.5), (done.Status, done.CompletedAt!.Value));
        Assert.Equal(8, (int)done.Result!["games"]!);
        Assert.Equal([1_700_000_000.0, 1_700_000_001.5, 1_700_000_061.5], _log.Submitted.Select(command => command.At));
    }

    [Fact]
    public async Task EveryWrite_GetsFreshGuidCommandId()
    {
        await _jobs.AssignJobAsync("j1", "n1", JobType.Sync);
        await _jobs.AssignJobAsync("j2", "n1", JobType.Sync);
        await _jobs.FailJobAsync("j2", "lost");

        var ids = _log.Submitted.Select(command => command.CommandId).ToList();
        Assert.Equal(3, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id.Length == 32 && Guid.TryParseExact(id, "N", out _), $"'{id}' is not a GUID in N form"));
    }

    [Fact]
    public async Task Refusals_ThrowTypedExceptions()
    {
        await _jobs.AssignJobAsync("j1", "n1", JobType.Selfplay);

        var missing = await Assert.ThrowsAsync<JobNotFoundException>(() => _jobs.StartJobAsync("nope"));
        Assert.Equal("nope", missing.JobId);
        await Assert.ThrowsAsync<DuplicateJobException>(() => _jobs.AssignJobAsync("j1", "n2", JobType.Sync));
        var wrongNode = await Assert.ThrowsAsync<JobConflictException>(() => _jobs.StartJobAsync("j1", "n2"));
        Assert.Equal((JobAssignmentStatus.Assigned, "start"), (wrongNode.Status!.Value, wrongNode.Action));
        await _jobs.FailJobAsync("j1", "oom");
        var finished = await Assert.ThrowsAsync<JobConflictException>(() => _jobs.CompleteJobAsync("j1"));
        Assert.Contains("failed", finished.Message);
        Assert.Contains("job_id", (await Assert.ThrowsAsync<ArgumentException>(() => _jobs.AssignJobAsync("", "n1", JobType.Sync))).Message);
    }

    [Fact]
    public async Task NullArguments_ThrowBeforeSubmitting()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => _jobs.AssignJobAsync(null!, "n1", JobType.Sync));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _jobs.FailJobAsync("j1", null!));
        Assert.Empty(_log.Submitted);
    }

    [Fact]
    public async Task Reads_SeeCommittedWrites()
    {
        await _jobs.AssignJobAsync("j1", "n1", JobType.Selfplay);
        await _jobs.AssignJobAsync("j2", "n1", JobType.Selfplay);
        await _jobs.AssignJobAsync("j3", "n2", JobType.Training);
        await _jobs.StartJobAsync("j1");
        await _jobs.CompleteJobAsync("j3");

        Assert.Equal(JobAssignmentStatus.Running, (await _jobs.GetJobAsync("j1"))!.Status);
        Assert.Null(await _jobs.GetJobAsync("missing"));
        Assert.Equal(["j1", "j2"], (await _jobs.GetJobsForNodeAsync("n1")).Select(job => job.JobId));
        Assert.Equal(2, await _jobs.GetActiveCountAsync());
        var stats = await _jobs.GetStatsAsync();
        Assert.Equal((1, 1, 1, 0), (stats.Assigned, stats.Running, stats.Completed, stats.Failed));
        Assert.Equal(new Dictionary<string, int> { ["n1"] = 2 }, stats.ByNode);
    }

    [Fact]
    public async Task ReturnedResults_AreCopies_MutatingThemLeavesStateAlone()
    {
        var result = new JsonObject { ["games"] = 8 };
        await _jobs.AssignJobAsync("j1", "n1", JobType.Selfplay);
        var done = await _jobs.CompleteJobAsync("j1", result);

        result["games"] = 1;
        done.Result!["games"] = 2;
        (await _jobs.GetJobAsync("j1"))!.Result!["games"] = 3;

        Assert.Equal(8, (int)_log.Machine.GetJob("j1")!.Result!["games"]!);
    }

    [Fact]
    public async Task CancelledToken_PassesThroughToLog()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _jobs.AssignJobAsync("j1", "n1", JobType.Sync, ct: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _jobs.GetStatsAsync(cancelled.Token));
    }

    [Fact]
    public void Constructor_NullLog_Throws() =>
        Assert.Equal("log", Assert.Throws<ArgumentNullException>(() => new ReplicatedJobAssignments(null!)).ParamName);
}
