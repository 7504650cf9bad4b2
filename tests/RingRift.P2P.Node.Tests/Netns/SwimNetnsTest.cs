using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// The frame of a test on <see cref="Nodes"/> SWIM node processes, one per namespace: a fresh test bed and
/// data folder per test (removed after it), and failures that carry the last lines of every live node's log.
/// </summary>
public abstract class SwimNetnsTest : IDisposable
{
    /// <summary>Node processes (and hosts) per test: the eight.</summary>
    protected const int Nodes = 8;

    private readonly string _root = Directory.CreateTempSubdirectory("ringrift-netns-swim-").FullName;

    protected SwimNetnsTest(ITestOutputHelper output) => Output = output;

    /// <summary>The hosts; faults set before <see cref="WithClusterAsync"/> are in force from the nodes' start.</summary>
    protected NetnsTestBed Bed { get; } = NetnsTestBed.Create(Nodes);

    protected ITestOutputHelper Output { get; }

    public void Dispose()
    {
        Bed.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts a node on every host, waits until all see all alive, and runs <paramref name="test"/> on them.</summary>
    protected async Task WithClusterAsync(Func<NetnsSwimCluster, Task> test)
    {
        ArgumentNullException.ThrowIfNull(test);
        using var cluster = await NetnsSwimCluster.StartAsync(Bed, _root, NodeProgram.Current);
        try
        {
            await test(cluster);
        }
        catch (Exception e) when (e is WaitTimedOutException or XunitException)
        {
            throw new XunitException($"{e.Message}\n{cluster.LogTails()}");
        }
    }
}
