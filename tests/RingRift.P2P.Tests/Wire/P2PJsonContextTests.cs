using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Json;
using RingRift.P2P.Models;
using RingRift.P2P.Scheduling;
using RingRift.P2P.Testing.Wire;
using Xunit;

namespace RingRift.P2P.Tests.Wire;

/// <summary>
/// <see cref="P2PJson.Options"/> takes every contract from <see cref="P2PJsonContext"/> (generated at compile time, no
/// reflection, so the node compiles ahead of time) and must write and read exactly the JSON reflection would.
/// </summary>
public sealed class P2PJsonContextTests
{
    private static readonly JsonSerializerOptions Reflection = GeneratedContracts.ReflectionOnly(P2PJson.Options);

    [Fact]
    public void GeneratedCode_IsCompiledWithTheWireSettings()
    {
        // The generated serializers write names and skip nulls as they were compiled; with other settings than the
        // wire options' they would write other JSON (or be bypassed for slower code).
        Assert.Empty(GeneratedContracts.SettingDifferences(P2PJsonContext.Default.Options, P2PJson.Options));
    }

    [Fact]
    public void EveryGeneratedContract_IsTheReflectionContract()
    {
        var types = GeneratedContracts.TypesOf(P2PJsonContext.Default);

        Assert.Contains(typeof(LeaseResponse), types);
        Assert.Contains(typeof(WorkItem), types);
        Assert.Contains(typeof(JobType), types);
        var differences = types.SelectMany(t => GeneratedContracts.Differences(t, P2PJson.Options, Reflection)).ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Theory]
    [InlineData(typeof(LeaseRequest))]
    [InlineData(typeof(LeaseResponse))]
    [InlineData(typeof(ElectionProbe))]
    [InlineData(typeof(ElectionProbeResponse))]
    [InlineData(typeof(LeaderAnnouncement))]
    [InlineData(typeof(AnnouncementAck))]
    [InlineData(typeof(ReplicateRequest))]
    [InlineData(typeof(ReplicaSyncResponse))]
    [InlineData(typeof(WorkDependencies))]
    [InlineData(typeof(JobType))]
    public void HotPathTypes_ComeFromTheGeneratedContracts(Type type)
    {
        Assert.Same(P2PJsonContext.Default, P2PJson.Options.GetTypeInfo(type).OriginatingResolver);
    }

    [Fact]
    public void NoInitProperty_LosesItsInitialValue_WhenTheJsonLacksIt()
    {
        // Generated code builds a type with init properties through an object initializer that sets them all, so an
        // init property with an initializer would read as 0 or null from JSON without it (dotnet/runtime#84484).
        var problems = GeneratedContracts.TypesOf(P2PJsonContext.Default)
            .SelectMany(t => GeneratedContracts.InitializedInitProperties(t, P2PJson.Options)).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void AFieldMissingFromTheJson_KeepsTheTypesDefault()
    {
        // A message from an older node that lacks a newer field must read as it always did.
        var item = JsonSerializer.Deserialize("{\"work_id\":\"w1\",\"work_type\":\"selfplay\"}", P2PJson.Options.Contract<WorkItem>())!;
        var summary = JsonSerializer.Deserialize("{\"node_id\":\"node-1\"}", P2PJson.Options.Contract<NodeSummary>())!;

        Assert.Same(P2PJsonContext.Default, P2PJson.Options.GetTypeInfo(typeof(WorkItem)).OriginatingResolver);
        Assert.Same(P2PJsonContext.Default, P2PJson.Options.GetTypeInfo(typeof(NodeSummary)).OriginatingResolver);
        Assert.Equal((WorkDefaults.Priority, WorkDefaults.MaxAttempts, WorkStatus.Pending), (item.Priority, item.MaxAttempts, item.Status));
        Assert.NotNull(item.Config);
        Assert.Same(WorkDependencies.None, item.DependsOn);
        Assert.Equal((NodeRole.Follower, NodeHealth.Healthy, 0, 0), (summary.Role, summary.Health, summary.Capabilities.Count, summary.CpuJobTypes.Count));
        Assert.Equal("", summary.Version);
    }

    [Fact]
    public void ATypeNoContextNames_IsRefused_NamingIt_NotSerializedByReflection()
    {
        // As in the natively compiled node, where reflection cannot serialize: every build fails alike, so tests find it.
        var error = Assert.Throws<NotSupportedException>(() => P2PJson.Options.GetTypeInfo(typeof(NotOnTheWire)));

        Assert.Contains(nameof(NotOnTheWire), error.Message);
    }

    private sealed record NotOnTheWire(int Count);

    public static TheoryData<object> Messages() =>
    [
        new LeaseRequest("node-2", 7, Release: true),
        new LeaseResponse("node-3", Granted: false, HolderId: null, HolderEpoch: 6, HighestEpoch: 7, LeaseSeconds: 2.5, Reason: "held"),
        new ElectionProbe("node-1", 3),
        new ElectionProbeResponse("node-3", Alive: true, LeaderId: null, Epoch: 3, WillLead: true),
        new LeaderAnnouncement("node-3", 4, 1.75, null),
        new AnnouncementAck("node-1", Accepted: false, KnownEpoch: 5, KnownLeaderId: "node-2"),
        new ReplicateRequest("node-3", 4, [Item("w1"), Item("w2") with { DependsOn = WorkDependencies.Of(["w1"]), Result = new JsonObject { ["elo"] = 1510.5 } }]),
        new ReplicateAck("node-1", Accepted: true, Fence: 4, Applied: 2),
        new ReplicaSyncResponse("node-1", Accepted: true, Fence: 4, [Item("w3") with { Status = WorkStatus.Claimed, ClaimedBy = "node-2", ClaimedAt = 9.25 }], Behind: true),
        new QueueStats { Pending = 2, Claimed = 1, Total = 3, IsLeader = true, LeaderAddress = "10.0.0.3:8770", IsReady = true },
        new NodeSummary { NodeId = "node-2", Address = "10.0.0.2", Port = 8770, Role = NodeRole.Leader, Capabilities = [JobType.Selfplay, JobType.Training], GpuName = null, Timestamp = 1.5 },
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Messages_AreWrittenAndReadByteForByteAsWithReflection(object message)
    {
        var type = message.GetType();
        var expected = JsonSerializer.Serialize(message, type, Reflection);

        Assert.Equal(expected, JsonSerializer.Serialize(message, type, P2PJson.Options));
        Assert.Equal(expected, JsonSerializer.Serialize(JsonSerializer.Deserialize(expected, type, P2PJson.Options), type, Reflection));
    }

    private static WorkItem Item(string id) => new() { WorkId = id, WorkType = JobType.Selfplay, Config = new JsonObject { ["board_type"] = "hex8" }, CreatedAt = 1.5 };
}
