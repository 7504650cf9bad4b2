using System.Text.Json;
using RingRift.P2P.Election;
using RingRift.P2P.Json;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Wire;
using RingRift.P2P.Testing.Wire;

namespace RingRift.P2P.Node.Tests.Wire;

/// <summary>
/// <see cref="NodeJson.Options"/> takes every contract of the node's types from <see cref="NodeJsonContext"/> (generated
/// at compile time, no reflection) and must write and read exactly the JSON reflection would.
/// </summary>
public sealed class NodeJsonContextTests
{
    private static readonly JsonSerializerOptions Reflection = GeneratedContracts.ReflectionOnly(P2PJson.Options);

    [Fact]
    public void GeneratedCode_AndNodeOptions_HaveTheWireSettings()
    {
        Assert.Empty(GeneratedContracts.SettingDifferences(NodeJsonContext.Default.Options, P2PJson.Options));
        Assert.Empty(GeneratedContracts.SettingDifferences(NodeJson.Options, P2PJson.Options));
    }

    [Fact]
    public void EveryGeneratedContract_IsTheReflectionContract()
    {
        var types = GeneratedContracts.TypesOf(NodeJsonContext.Default);

        Assert.Contains(typeof(StatusResponse), types);
        Assert.Contains(typeof(HeartbeatRequest), types);
        var differences = types.SelectMany(t => GeneratedContracts.Differences(t, NodeJson.Options, Reflection)).ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Theory]
    [InlineData(typeof(StatusResponse))]
    [InlineData(typeof(HealthResponse))]
    [InlineData(typeof(LoopsHealthResponse))]
    [InlineData(typeof(HeartbeatRequest))]
    [InlineData(typeof(HeartbeatResponse))]
    [InlineData(typeof(ApiError))]
    [InlineData(typeof(List<PeerStore.StoredPeer>))]
    [InlineData(typeof(PeerStatus))]
    public void StartupAndStatusTypes_ComeFromTheNodesGeneratedContracts(Type type)
    {
        Assert.Same(NodeJsonContext.Default, NodeJson.Options.GetTypeInfo(type).OriginatingResolver);
    }

    [Theory]
    [InlineData(typeof(LeaseRequest))]
    [InlineData(typeof(LeaderAnnouncement))]
    public void LibraryMessages_ComeFromTheLibrarysGeneratedContracts(Type type)
    {
        Assert.Same(P2PJsonContext.Default, NodeJson.Options.GetTypeInfo(type).OriginatingResolver);
    }

    [Fact]
    public void NoInitProperty_LosesItsInitialValue_WhenTheJsonLacksIt()
    {
        var problems = GeneratedContracts.TypesOf(NodeJsonContext.Default)
            .SelectMany(t => GeneratedContracts.InitializedInitProperties(t, NodeJson.Options)).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void HeartbeatOfAnOlderNode_WithoutNewerSummaryFields_ReadsWithTheirDefaults()
    {
        // The summary's settable properties with defaults keep them when the JSON lacks them (generated code would set
        // absent init properties to null or 0).
        const string older = "{\"sender\":{\"node_id\":\"node-9\",\"port\":8770,\"role\":\"leader\"},\"known_peers\":[]}";

        var request = JsonSerializer.Deserialize(older, NodeJson.Contract<HeartbeatRequest>())!;

        Assert.Same(NodeJsonContext.Default, NodeJson.Options.GetTypeInfo(typeof(HeartbeatRequest)).OriginatingResolver);
        Assert.Equal(("node-9", 8770, RingRift.P2P.Models.NodeRole.Leader), (request.Sender.NodeId, request.Sender.Port, request.Sender.Role));
        Assert.Equal((RingRift.P2P.Models.NodeHealth.Healthy, 0, 0, ""),
            (request.Sender.Health, request.Sender.Capabilities.Count, request.Sender.CpuJobTypes.Count, request.Sender.Version));
        Assert.False(request.Leaving);
    }

    [Fact]
    public void NodeCode_SerializesWithTheNodeOptions()
    {
        // P2PJson.Options knows none of the node's generated contracts: node code using it would fall back to reflection.
        var src = RepoFiles.Path("src", "RingRift.P2P.Node");
        var users = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(src, f))
            .Where(f => !f.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !f.StartsWith("Wire" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(f => File.ReadAllText(Path.Combine(src, f)).Contains("P2PJson.Options", StringComparison.Ordinal));

        Assert.Empty(users);
    }
}
