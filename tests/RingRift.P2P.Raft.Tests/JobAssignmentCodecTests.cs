using System.Text.Json.Nodes;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

/// <summary>Job-command specifics; round trips and every-truncation checks run over the job commands in <see cref="WorkCommandCodecTests"/>.</summary>
public sealed class JobAssignmentCodecTests
{
    [Fact]
    public void AssignJob_RoundTripsEveryValue()
    {
        var decoded = (AssignJob)WorkCommandCodec.Decode(WorkCommandCodec.Encode(new AssignJob("c", 2.5, "job-é", "node-a", JobType.Evaluation, "w9")));
        Assert.Equal(new AssignJob("c", 2.5, "job-é", "node-a", JobType.Evaluation, "w9"), decoded);
        var noWork = (AssignJob)WorkCommandCodec.Decode(WorkCommandCodec.Encode(new AssignJob("c", 1, "j", "n", JobType.Sync, null)));
        Assert.Null(noWork.WorkId);
    }

    [Fact]
    public void StartCompleteFail_RoundTripEveryValue()
    {
        Assert.Equal(new StartJob("c", 1, "j", "n"), WorkCommandCodec.Decode(WorkCommandCodec.Encode(new StartJob("c", 1, "j", "n"))));
        Assert.Equal(new StartJob("c", 1, "j", null), WorkCommandCodec.Decode(WorkCommandCodec.Encode(new StartJob("c", 1, "j", null))));
        Assert.Equal(new FailJob("c", 3, "j", "oom", "n"), WorkCommandCodec.Decode(WorkCommandCodec.Encode(new FailJob("c", 3, "j", "oom", "n"))));
        var complete = (CompleteJob)WorkCommandCodec.Decode(WorkCommandCodec.Encode(
            new CompleteJob("c", 2, "j", new JsonObject { ["elo"] = 1500.5, ["tags"] = new JsonArray("a", "b") }, "n")));
        Assert.Equal(("c", 2.0, "j", "n"), (complete.CommandId, complete.At, complete.JobId, complete.NodeId));
        Assert.Equal("""{"elo":1500.5,"tags":["a","b"]}""", complete.Result!.ToJsonString());
    }

    [Theory]
    [InlineData(9, typeof(AssignJob))]
    [InlineData(10, typeof(StartJob))]
    [InlineData(11, typeof(CompleteJob))]
    [InlineData(12, typeof(FailJob))]
    public void JobCommands_UseAppendedTypeBytes(byte type, Type command)
    {
        WorkCommand sample = type switch
        {
            9 => new AssignJob("c", 1, "j", "n", JobType.Sync, null),
            10 => new StartJob("c", 1, "j", null),
            11 => new CompleteJob("c", 1, "j", null, null),
            _ => new FailJob("c", 1, "j", "e", null),
        };
        var bytes = WorkCommandCodec.Encode(sample);
        Assert.Equal((WorkCommandCodec.FormatVersion, type), (bytes[0], bytes[1]));
        Assert.IsType(command, WorkCommandCodec.Decode(bytes));
    }

    [Fact]
    public void Decode_AssignJob_WithUnknownJobType_ThrowsNamingField()
    {
        var bytes = WorkCommandCodec.Encode(new AssignJob("c", 1, "j", "n", JobType.Sync, null));
        var typeOffset = 2 + 2 + 8 + 2 + 2; // header, "c", at, "j", "n"
        Assert.Equal(3, bytes[typeOffset]); // built-in types keep the numbers every earlier build wrote
        bytes[typeOffset] = 4;
        Assert.Contains("job_type 4", Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(bytes)).Message);
    }

    [Fact]
    public void Decode_CompleteJob_WithResultNotAnObject_Throws()
    {
        var bytes = WorkCommandCodec.Encode(new CompleteJob("c", 1, "j", new JsonObject(), null));
        var json = 2 + 2 + 8 + 2 + 1 + 1; // header, "c", at, "j", presence, length
        bytes[json] = (byte)'[';
        bytes[json + 1] = (byte)']';
        Assert.Contains("result must be a JSON object", Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(bytes)).Message);
    }

    [Fact]
    public void Encode_NullField_Throws()
    {
        Assert.Equal("job_id", Assert.Throws<ArgumentNullException>(() => WorkCommandCodec.Encode(new StartJob("c", 1, null!, null))).ParamName);
        Assert.Equal("error", Assert.Throws<ArgumentNullException>(() => WorkCommandCodec.Encode(new FailJob("c", 1, "j", null!, null))).ParamName);
    }

    [Fact]
    public void DecodedBatch_AppliesLikeOriginalCommands()
    {
        List<WorkCommand> commands =
        [
            new AssignJob("a", 1, "j1", "n1", JobType.Training, null),
            new StartJob("b", 2, "j1", "n1"),
            new CompleteJob("c", 3, "j1", new JsonObject { ["ok"] = true }, "n1"),
        ];
        var direct = new WorkQueueStateMachine();
        var decoded = new WorkQueueStateMachine();

        direct.ApplyBatch(commands, 1, 1);
        decoded.ApplyBatch(WorkCommandCodec.DecodeBatch(WorkCommandCodec.EncodeBatch(commands)), 1, 1);

        Assert.Equal(JobAssignmentStatus.Completed, decoded.GetJob("j1")!.Status);
        Assert.Equal(direct.GetJob("j1")! with { Result = null }, decoded.GetJob("j1")! with { Result = null });
    }
}
