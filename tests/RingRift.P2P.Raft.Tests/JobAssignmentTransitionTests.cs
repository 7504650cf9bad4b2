using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

public sealed class JobAssignmentTransitionTests
{
    private readonly MachineDriver _d = new();

    private WorkCommandResult Assign(string jobId = "j1", string node = "n1", JobType type = default, string? workId = null) =>
        _d.Apply(new AssignJob(_d.NewId(), _d.Now, jobId, node, type, workId));

    private WorkCommandResult Start(string jobId = "j1", string? node = null) => _d.Apply(new StartJob(_d.NewId(), _d.Now, jobId, node));

    private WorkCommandResult Complete(string jobId = "j1", string? node = null, JsonObject? result = null) =>
        _d.Apply(new CompleteJob(_d.NewId(), _d.Now, jobId, result, node));

    private WorkCommandResult Fail(string jobId = "j1", string error = "boom", string? node = null) =>
        _d.Apply(new FailJob(_d.NewId(), _d.Now, jobId, error, node));

    /// <summary>Brings job j1 (on n1) to <paramref name="status"/>.</summary>
    private void Reach(JobAssignmentStatus status)
    {
        Assign();
        if (status == JobAssignmentStatus.Running)
            Start();
        if (status == JobAssignmentStatus.Completed)
            Complete();
        if (status == JobAssignmentStatus.Failed)
            Fail();
        Assert.Equal(status, _d.Machine.GetJob("j1")!.Status);
    }

    private WorkCommandResult Act(string action) => action switch
    {
        "start" => Start(),
        "complete" => Complete(),
        "fail" => Fail(),
        "assign" => Assign(),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown action"),
    };

    [Theory]
    [InlineData(JobAssignmentStatus.Assigned, "start", WorkOutcome.Ok, JobAssignmentStatus.Running)]
    [InlineData(JobAssignmentStatus.Assigned, "complete", WorkOutcome.Ok, JobAssignmentStatus.Completed)]
    [InlineData(JobAssignmentStatus.Assigned, "fail", WorkOutcome.Ok, JobAssignmentStatus.Failed)]
    [InlineData(JobAssignmentStatus.Assigned, "assign", WorkOutcome.Duplicate, JobAssignmentStatus.Assigned)]
    [InlineData(JobAssignmentStatus.Running, "start", WorkOutcome.InvalidTransition, JobAssignmentStatus.Running)]
    [InlineData(JobAssignmentStatus.Running, "complete", WorkOutcome.Ok, JobAssignmentStatus.Completed)]
    [InlineData(JobAssignmentStatus.Running, "fail", WorkOutcome.Ok, JobAssignmentStatus.Failed)]
    [InlineData(JobAssignmentStatus.Running, "assign", WorkOutcome.Duplicate, JobAssignmentStatus.Running)]
    [InlineData(JobAssignmentStatus.Completed, "start", WorkOutcome.InvalidTransition, JobAssignmentStatus.Completed)]
    [InlineData(JobAssignmentStatus.Completed, "complete", WorkOutcome.InvalidTransition, JobAssignmentStatus.Completed)]
    [InlineData(JobAssignmentStatus.Completed, "fail", WorkOutcome.InvalidTransition, JobAssignmentStatus.Completed)]
    [InlineData(JobAssignmentStatus.Completed, "assign", WorkOutcome.Duplicate, JobAssignmentStatus.Completed)]
    [InlineData(JobAssignmentStatus.Failed, "start", WorkOutcome.InvalidTransition, JobAssignmentStatus.Failed)]
    [InlineData(JobAssignmentStatus.Failed, "complete", WorkOutcome.InvalidTransition, JobAssignmentStatus.Failed)]
    [InlineData(JobAssignmentStatus.Failed, "fail", WorkOutcome.InvalidTransition, JobAssignmentStatus.Failed)]
    [InlineData(JobAssignmentStatus.Failed, "assign", WorkOutcome.Duplicate, JobAssignmentStatus.Failed)]
    public void Transition_FromStatus_GivesOutcomeAndStatus(JobAssignmentStatus from, string action, WorkOutcome outcome, JobAssignmentStatus after)
    {
        Reach(from);

        var result = Act(action);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(after, _d.Machine.GetJob("j1")!.Status);
        Assert.Equal(after, result.Job!.Status); // refusals carry the job as it stands
        Assert.Null(result.Item);
        if (outcome != WorkOutcome.Ok)
            Assert.NotNull(result.Message);
    }

    [Fact]
    public void Assign_StampsLeaderTime_AndKeepsFields()
    {
        _d.Now = 1_700_000_000.5;

        var job = Assign("j1", "n1", JobType.Evaluation, "w7").Job!;

        Assert.Equal(("j1", "n1", JobType.Evaluation, "w7", JobAssignmentStatus.Assigned), (job.JobId, job.NodeId, job.JobType, job.WorkId, job.Status));
        Assert.Equal(1_700_000_000.5, job.AssignedAt);
        Assert.Null(job.StartedAt);
        Assert.Null(job.CompletedAt);
    }

    [Fact]
    public void StartThenComplete_StampsEachCommandsTime_AndKeepsResultCopy()
    {
        _d.Now = 100; Assign();
        _d.Now = 110; Start(node: "n1");
        var result = new JsonObject { ["games"] = 40 };
        _d.Now = 150;

        var done = Complete(node: "n1", result: result).Job!;
        result["games"] = 0; // the caller's object is not the stored one

        Assert.Equal((100.0, 110.0, 150.0), (done.AssignedAt, done.StartedAt!.Value, done.CompletedAt!.Value));
        Assert.Equal(40, (int)_d.Machine.GetJob("j1")!.Result!["games"]!);
    }

    [Fact]
    public void Fail_FromAssigned_KeepsErrorAndNoStartTime()
    {
        _d.Now = 5; Assign();
        _d.Now = 9;

        var failed = Fail(error: "gpu lost").Job!;

        Assert.Equal(("gpu lost", (double?)null, (double?)9), (failed.Error, failed.StartedAt, failed.CompletedAt));
    }

    [Theory]
    [InlineData("start")]
    [InlineData("complete")]
    [InlineData("fail")]
    public void Action_ByNodeThatIsNotAssignee_IsFencingMismatch_AndChangesNothing(string action)
    {
        Assign("j1", "n1");

        var result = action switch
        {
            "start" => Start(node: "n2"),
            "complete" => Complete(node: "n2"),
            _ => Fail(node: "n2"),
        };

        Assert.Equal(WorkOutcome.FencingMismatch, result.Outcome);
        Assert.Contains("'n1'", result.Message);
        Assert.Equal(JobAssignmentStatus.Assigned, _d.Machine.GetJob("j1")!.Status);
        Assert.IsType<JobConflictException>(result.ToJobException("j1", action));
    }

    [Fact]
    public void ActionsByAssignee_OrWithoutNode_AreAccepted()
    {
        Assign("j1", "n1");
        Assert.True(Start(node: "n1").IsOk);
        Assign("j2", "n1");
        Assert.True(Start("j2").IsOk);
        Assert.True(Complete("j2").IsOk);
    }

    [Theory]
    [InlineData("start")]
    [InlineData("complete")]
    [InlineData("fail")]
    public void Action_OnUnknownJob_IsNotFound(string action)
    {
        var result = Act(action);

        Assert.Equal(WorkOutcome.NotFound, result.Outcome);
        Assert.Null(result.Job);
        var exception = Assert.IsType<JobNotFoundException>(result.ToJobException("j1", action));
        Assert.IsAssignableFrom<KeyNotFoundException>(exception);
    }

    [Fact]
    public void WrongStatusBeatsWrongNode_InRefusalOrder()
    {
        Reach(JobAssignmentStatus.Completed);
        Assert.Equal(WorkOutcome.InvalidTransition, Start(node: "someone-else").Outcome);
    }

    [Theory]
    [InlineData("", "n1", null, "job_id")]
    [InlineData("j\n1", "n1", null, "job_id")]
    [InlineData("j1", "", null, "node_id")]
    [InlineData("j1", "n1", "", "work_id")]
    public void Assign_WithBadField_IsInvalidCommandNamingField(string jobId, string node, string? workId, string field)
    {
        var result = Assign(jobId, node, JobType.Selfplay, workId);

        Assert.Equal(WorkOutcome.InvalidCommand, result.Outcome);
        Assert.Contains(field, result.Message);
        Assert.Equal(0, _d.Machine.JobCount);
        Assert.IsType<ArgumentException>(result.ToJobException(jobId, "assign"));
    }

    [Fact]
    public void Assign_WithTooLongId_IsInvalid_200IsAllowed()
    {
        Assert.Equal(WorkOutcome.InvalidCommand, Assign(new string('x', 201)).Outcome);
        Assert.True(Assign(new string('x', 200)).IsOk);
    }

    [Fact]
    public void OtherBadFields_AreInvalidCommandNamingField()
    {
        Assign();
        Assert.Contains("error", _d.Apply(new FailJob(_d.NewId(), 1, "j1", null!, null)).Message);
        Assert.Contains("job_id", Start("").Message);
        Assert.Contains("node_id", Start("j1", "").Message);
        Assert.Contains("at must be", _d.Apply(new StartJob(_d.NewId(), double.NaN, "j1", null)).Message);
        Assert.Equal(JobAssignmentStatus.Assigned, _d.Machine.GetJob("j1")!.Status);
    }

    [Fact]
    public void RetriedCommandId_ReturnsFirstResult_AndAppliesOnce()
    {
        Assign();
        var start = new StartJob("retry-me", _d.Now, "j1", "n1");
        var first = _d.Apply(start);
        _d.Now += 10;

        var again = _d.Apply(start with { At = _d.Now });

        Assert.True(first.IsOk);
        Assert.Same(first, again); // not InvalidTransition: the retry is recognised, not re-applied
        Assert.Equal(first.Job!.StartedAt, _d.Machine.GetJob("j1")!.StartedAt);
        Assert.Equal(1, _d.Machine.JobStats().Running);
    }

    [Fact]
    public void RetriedAssign_IsNotDuplicate_ButSameIdWithNewCommandIs()
    {
        var assign = new AssignJob("a1", 1, "j1", "n1", JobType.Sync, null);
        Assert.True(_d.Apply(assign).IsOk);
        Assert.True(_d.Apply(assign).IsOk);
        Assert.Equal(WorkOutcome.Duplicate, _d.Apply(assign with { CommandId = "a2" }).Outcome);
        Assert.IsType<DuplicateJobException>(_d.Apply(assign with { CommandId = "a3" }).ToJobException("j1", "assign"));
        Assert.Equal(1, _d.Machine.JobCount);
    }

    [Fact]
    public void Stats_CountByStatus_AndActivePerNode()
    {
        Assign("a", "n1"); Assign("b", "n1"); Assign("c", "n2"); Assign("d", "n3"); Assign("e", "n3");
        Start("b"); Complete("c"); Fail("d"); Start("e"); Complete("e");

        var stats = _d.Machine.JobStats();

        Assert.Equal((1, 1, 2, 1), (stats.Assigned, stats.Running, stats.Completed, stats.Failed));
        Assert.Equal(new Dictionary<string, int> { ["n1"] = 2 }, stats.ByNode); // n2, n3 have no active jobs
        Assert.Equal(2, _d.Machine.ActiveJobCount);
    }

    [Fact]
    public void JobsForNode_ListsEveryStatusInOrdinalOrder_UnknownNodeEmpty()
    {
        Assign("b", "n1"); Assign("a", "n1"); Assign("C", "n1"); Assign("x", "n2");
        Complete("a");

        Assert.Equal(["C", "a", "b"], _d.Machine.JobsForNode("n1").Select(job => job.JobId));
        Assert.Empty(_d.Machine.JobsForNode("nobody"));
        Assert.Null(_d.Machine.GetJob("nope"));
    }

    [Fact]
    public void Jobs_DoNotTouchWorkQueue()
    {
        _d.Add("w1");
        Assign("j1", "n1", workId: "w1");
        Complete();

        Assert.Equal(1, _d.Machine.Stats().Pending);
        Assert.Equal(1, _d.Machine.Count);
    }

    [Fact]
    public void JobAssignment_Json_IsSnakeCase_WithLowerCaseEnums()
    {
        Assign("j1", "n1", JobType.Training, "w1");
        Start();
        Fail(error: "oom");

        var json = JsonSerializer.Serialize(_d.Machine.GetJob("j1"), RaftJson.Options);

        Assert.Contains("\"job_id\":\"j1\"", json);
        Assert.Contains("\"node_id\":\"n1\"", json);
        Assert.Contains("\"job_type\":\"training\"", json);
        Assert.Contains("\"work_id\":\"w1\"", json);
        Assert.Contains("\"status\":\"failed\"", json);
        Assert.Contains("\"assigned_at\":", json);
        Assert.Contains("\"started_at\":", json);
        Assert.Contains("\"completed_at\":", json);
        Assert.DoesNotContain("is_active", json);
        var back = JsonSerializer.Deserialize<JobAssignment>(json, RaftJson.Options)!;
        Assert.Equal(_d.Machine.GetJob("j1"), back);
    }

    [Fact]
    public void Stats_Json_HasSeedFields()
    {
        Assign("j1", "n1");
        var json = JsonSerializer.Serialize(_d.Machine.JobStats(), RaftJson.Options);
        Assert.Equal("""{"assigned":1,"running":0,"completed":0,"failed":0,"by_node":{"n1":1}}""", json);
    }
}
