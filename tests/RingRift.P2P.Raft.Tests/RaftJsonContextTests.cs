using RingRift.P2P.Json;
using RingRift.P2P.Testing.Wire;
using Xunit;

namespace RingRift.P2P.Raft.Tests;

/// <summary>The snapshot's generated contracts (<see cref="RaftJsonContext"/>) write and read what reflection would.</summary>
public sealed class RaftJsonContextTests
{
    [Fact]
    public void GeneratedCode_AndOptions_HaveTheWireSettings()
    {
        Assert.Empty(GeneratedContracts.SettingDifferences(RaftJsonContext.Default.Options, P2PJson.Options));
        Assert.Empty(GeneratedContracts.SettingDifferences(RaftJson.Options, P2PJson.Options));
    }

    [Fact]
    public void EveryGeneratedContract_IsTheReflectionContract()
    {
        var reflection = GeneratedContracts.ReflectionOnly(P2PJson.Options);
        var types = GeneratedContracts.TypesOf(RaftJsonContext.Default);

        Assert.Contains(typeof(SnapshotItem), types);
        Assert.Contains(typeof(JobAssignment), types);
        var differences = types.SelectMany(t => GeneratedContracts.Differences(t, RaftJson.Options, reflection)).ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void NoInitProperty_LosesItsInitialValue_WhenTheJsonLacksIt()
    {
        var problems = GeneratedContracts.TypesOf(RaftJsonContext.Default)
            .SelectMany(t => GeneratedContracts.InitializedInitProperties(t, RaftJson.Options)).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
