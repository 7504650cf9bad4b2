using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

public sealed class WorkCommandCodecTests
{
    private static readonly FencingToken Token = new(4, 1234, 2);

    private static List<WorkCommand> Commands() =>
    [
        new AddWork("c1", 1_700_000_000.25, new NewWork
        {
            WorkId = "w-é", WorkType = JobType.Evaluation, Priority = 77, MaxAttempts = 9, TimeoutSeconds = 12.5,
            Config = new JsonObject { ["board_type"] = "hex8", ["games"] = 3 },
        }),
        new AddWork("c2", 1, new NewWork { WorkType = JobType.Sync }),
        new ClaimWork("c3", 2, "w1", "node-a"),
        new ClaimNext("c4", 3, "node-a", null),
        new ClaimNext("c5", 3, "node-a", [JobType.Training, JobType.Sync]),
        new StartWork("c6", 4, "w1", null, null),
        new StartWork("c7", 4, "w1", "node-a", Token),
        new CompleteWork("c8", 5, "w1", new JsonObject { ["elo"] = 1500.5 }, "node-a", Token),
        new CompleteWork("c9", 5, "w1", null, null, null),
        new FailWork("c10", 6, "w1", "oom", "node-a", Token),
        new CancelWork("c11", 7, "w1"),
        new RequeueTimedOut("c12", 8),
        new AssignJob("c13", 9, "job-é", "node-a", JobType.Training, "w1"),
        new AssignJob("c14", 9, "job-2", "node-b", JobType.Sync, null),
        new StartJob("c15", 10, "job-é", "node-a"),
        new StartJob("c16", 10, "job-é", null),
        new CompleteJob("c17", 11, "job-é", new JsonObject { ["games"] = 12, ["elo"] = 1510.25 }, "node-a"),
        new CompleteJob("c18", 11, "job-é", null, null),
        new FailJob("c19", 12, "job-2", "disk full", "node-b"),
        new FailJob("c20", 12, "job-2", "", null),
        new AddWork("c21", 13, new NewWork { WorkId = "eval", WorkType = JobType.Parse("gauntlet"), DependsOn = WorkDependencies.Of(["train-é", "data"]) }),
        new AddWork("c22", 14, new NewWork { WorkId = "moved", WorkType = JobType.Selfplay, MaxAttempts = 5, Attempts = 4 }),
        new AddWork("c23", 14, new NewWork { WorkId = "moved-2", WorkType = JobType.Parse("gpu_cmaes"), Attempts = 1, DependsOn = WorkDependencies.Of(["moved"]) }),
        new PruneWork("c24", 15, ["w1", "w-é", "moved"]),
    ];

    public static TheoryData<WorkCommand> EveryCommand() => new(Commands());

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Encode_ThenDecode_RoundTripsEveryField(WorkCommand command)
    {
        var bytes = WorkCommandCodec.Encode(command);
        var decoded = WorkCommandCodec.Decode(bytes);

        Assert.Equal(WorkCommandCodec.FormatVersion, bytes[0]);
        Assert.Equal(command.GetType(), decoded.GetType());
        Assert.Equal(bytes, WorkCommandCodec.Encode(decoded)); // every field survived
        Assert.Equal((command.CommandId, command.At), (decoded.CommandId, decoded.At));
    }

    [Fact]
    public void Decode_AddWork_KeepsValues()
    {
        var decoded = (AddWork)WorkCommandCodec.Decode(WorkCommandCodec.Encode(Commands()[0]));
        Assert.Equal(("w-é", JobType.Evaluation, 77, 9, 12.5), (decoded.Work.WorkId, decoded.Work.WorkType, decoded.Work.Priority, decoded.Work.MaxAttempts, decoded.Work.TimeoutSeconds));
        Assert.Equal("hex8", (string)decoded.Work.Config!["board_type"]!);
    }

    [Fact]
    public void Decode_AddWithAttempts_KeepsAttemptsAndDependencies()
    {
        var commands = Commands();
        var alone = (AddWork)WorkCommandCodec.Decode(WorkCommandCodec.Encode(commands[21]));
        var withDependencies = (AddWork)WorkCommandCodec.Decode(WorkCommandCodec.Encode(commands[22]));

        Assert.Equal((4, 5, 0), (alone.Work.Attempts, alone.Work.MaxAttempts, alone.Work.DependsOn.Count));
        Assert.Equal(1, withDependencies.Work.Attempts);
        Assert.Equal(["moved"], withDependencies.Work.DependsOn);
        Assert.Equal(0, ((AddWork)WorkCommandCodec.Decode(WorkCommandCodec.Encode(commands[0]))).Work.Attempts);
        Assert.Equal(14, WorkCommandCodec.Encode(commands[21])[1]);
        Assert.Equal(13, WorkCommandCodec.Encode(commands[20])[1]); // without attempts: the form that builds before attempts read
    }

    [Fact]
    public void Decode_AddWithAttemptsOfZero_Throws()
    {
        var bytes = WorkCommandCodec.Encode(new AddWork("c", 1, new NewWork { WorkType = JobType.Sync, Attempts = 1 }));
        bytes[^5] = 0; // attempts (int32) sits before the dependency count byte
        Assert.Contains("attempts 0", Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(bytes)).Message);
    }

    [Fact]
    public void PruneWork_IsType15_AndKeepsItsIdsInOrder()
    {
        var bytes = WorkCommandCodec.Encode(new PruneWork("p", 2, ["b", "a", "c"]));

        Assert.Equal(15, bytes[1]);
        Assert.Equal(["b", "a", "c"], ((PruneWork)WorkCommandCodec.Decode(bytes)).WorkIds);
    }

    [Fact]
    public void PruneWork_WithNoIdsOrTooMany_IsRefused_WhenWrittenAndWhenRead()
    {
        Assert.Throws<ArgumentException>(() => WorkCommandCodec.Encode(new PruneWork("p", 2, [])));
        var tooMany = Enumerable.Range(0, WorkCommandCodec.MaxPruneIds + 1).Select(i => $"w{i}").ToArray();
        Assert.Throws<ArgumentException>(() => WorkCommandCodec.Encode(new PruneWork("p", 2, tooMany)));

        var one = WorkCommandCodec.Encode(new PruneWork("p", 2, ["w"]));
        var countAt = 2 + 1 + 1 + 8; // header, id length, id "p", at
        one[countAt] = 0;
        Assert.Contains("work_ids count 0", Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(one)).Message);
    }

    [Fact]
    public void Decode_StartWithToken_KeepsToken()
    {
        var decoded = (StartWork)WorkCommandCodec.Decode(WorkCommandCodec.Encode(new StartWork("c", 1, "w", "n", Token)));
        Assert.Equal(Token, decoded.Token);
    }

    [Fact]
    public void Batch_RoundTripsInOrder_AndSingleDecodesAsBatchOfOne()
    {
        var commands = Commands();

        var decoded = WorkCommandCodec.DecodeBatch(WorkCommandCodec.EncodeBatch(commands));

        Assert.Equal(commands.Select(WorkCommandCodec.Encode), decoded.Select(WorkCommandCodec.Encode));
        var single = WorkCommandCodec.DecodeBatch(WorkCommandCodec.Encode(commands[2]));
        Assert.IsType<ClaimWork>(Assert.Single(single));
    }

    [Fact]
    public void Decode_OfBatchBytes_PointsToDecodeBatch()
    {
        var batch = WorkCommandCodec.EncodeBatch([new CancelWork("c", 1, "w")]);
        Assert.Contains("DecodeBatch", Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(batch)).Message);
    }

    [Fact]
    public void Decode_EveryTruncation_ThrowsFormatError_NeverAnotherException()
    {
        foreach (var command in Commands())
        {
            var bytes = WorkCommandCodec.Encode(command);
            for (var length = 0; length < bytes.Length; length++)
                Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(bytes.AsSpan(0, length)));
        }
        var batch = WorkCommandCodec.EncodeBatch(Commands());
        for (var length = 0; length < batch.Length; length++)
            Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.DecodeBatch(batch.AsSpan(0, length)));
    }

    [Fact]
    public void Decode_TruncatedString_NamesFieldAndTruncation()
    {
        var bytes = WorkCommandCodec.Encode(new ClaimWork("c", 1, "work-item", "n"));
        var error = Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(bytes.AsSpan(0, bytes.Length - 4)));
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(0x3F)]
    [InlineData(0xFF)]
    public void Decode_UnknownType_Throws(byte type)
    {
        var bytes = WorkCommandCodec.Encode(new CancelWork("c", 1, "w"));
        bytes[1] = type;
        var error = Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(bytes));
        Assert.Contains($"type byte {type}", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Decode_OtherFormatVersion_Throws(byte version)
    {
        var bytes = WorkCommandCodec.Encode(new RequeueTimedOut("c", 1));
        bytes[0] = version;
        Assert.Contains($"format version {version}", Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(bytes)).Message);
        var batch = WorkCommandCodec.EncodeBatch([new RequeueTimedOut("c", 1)]);
        batch[0] = version;
        Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.DecodeBatch(batch));
    }

    [Fact]
    public void Decode_TrailingBytes_Throws()
    {
        var bytes = WorkCommandCodec.Encode(new RequeueTimedOut("c", 1)).Append((byte)0).ToArray();
        Assert.Contains("trailing", Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(bytes)).Message);
    }

    [Fact]
    public void Decode_BadPresenceByteOrWorkType_Throws()
    {
        var add = WorkCommandCodec.Encode(new AddWork("c", 1, new NewWork { WorkType = JobType.Sync }));
        var presenceOffset = 2 + 1 + 1 + 8; // header, id length, id "c", at
        add[presenceOffset] = 7;
        Assert.Contains("presence byte", Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(add)).Message);
        add[presenceOffset] = 0;
        add[presenceOffset + 1] = 9; // work_type
        Assert.Contains("work_type 9", Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(add)).Message);
    }

    [Fact]
    public void Decode_RandomGarbage_OnlyEverThrowsFormatErrors()
    {
        var random = new Random(5);
        var valid = WorkCommandCodec.EncodeBatch(Commands());
        for (var trial = 0; trial < 5_000; trial++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = 1 + random.Next(4); flips > 0; flips--)
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            try
            {
                WorkCommandCodec.DecodeBatch(bytes);
            }
            catch (WorkCommandFormatException)
            {
                // the one allowed failure
            }
        }
    }

    [Fact]
    public void EncodeBatch_Empty_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkCommandCodec.EncodeBatch([]));

    [Theory]
    [InlineData("7.1042", 7, 1042, 0)]
    [InlineData("0.1.3", 0, 1, 3)]
    public void FencingToken_ParsesCompactForm(string text, long term, long index, int slot)
    {
        var token = FencingToken.Parse(text);
        Assert.Equal(new FencingToken(term, index, slot), token);
        Assert.Equal(text, token.ToString());
    }

    [Theory]
    [InlineData("7")]
    [InlineData("7.x")]
    [InlineData("-1.2")]
    [InlineData("1.2.0")]
    [InlineData("1.2.3.4")]
    public void FencingToken_RejectsMalformed(string text) =>
        Assert.Contains(text, Assert.Throws<FormatException>(() => FencingToken.Parse(text)).Message);
}
