using RingRift.P2P.Testing.Netns;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// Two hosts on a test bed, each running a node with SWIM on and no seeds: each node alone, so the only
/// datagrams its SWIM port counts (<c>/swim/status</c> <c>packets.received</c>) are the ones a test sends it.
/// Shared by the fault tests of one class; each test heals everything first.
/// </summary>
public sealed class NetnsPairFixture : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("ringrift-netns-pair-").FullName;

    public NetnsTestBed Bed { get; private set; } = null!;

    public NetnsNode A { get; private set; } = null!;

    public NetnsNode B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Bed = NetnsTestBed.Create(2);
        A = NetnsNode.StartSwim(Bed, Bed.Hosts[0], [], _root, NodeProgram.Current);
        B = NetnsNode.StartSwim(Bed, Bed.Hosts[1], [], _root, NodeProgram.Current);
        await Task.WhenAll(A.WaitUntilServingAsync(), B.WaitUntilServingAsync());
    }

    public Task DisposeAsync()
    {
        Bed?.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
