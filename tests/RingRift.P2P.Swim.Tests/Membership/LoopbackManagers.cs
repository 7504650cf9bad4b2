using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Swim.Tests.Membership;

/// <summary>
/// Managers on 127.0.0.1 with OS-picked ports (each manager keeps its sockets bound), stopped
/// (gracefully) on dispose. Tests wait on them with <see cref="Eventually"/>.
/// </summary>
internal sealed class LoopbackManagers : IAsyncDisposable
{
    /// <summary>How long a test waits for one event of real sockets and timers: a bound for a loaded 2-core host.</summary>
    public static readonly TimeSpan Patience = Eventually.DefaultWithin;

    private readonly List<SwimMembershipManager> _all = [];

    public SwimMembershipManager Create(string id, IEnumerable<SwimEndpoint>? seeds = null, int port = 0, SwimMembershipOptions? options = null)
    {
        options ??= new SwimMembershipOptions();
        var manager = new SwimMembershipManager(id, port, seeds ?? [], options with
        {
            BindAddress = "127.0.0.1",
            LeaveDrain = options.LeaveDrain ?? TimeSpan.FromMilliseconds(400),
        });
        _all.Add(manager);
        return manager;
    }

    /// <summary>Creates and starts a manager; fails the test if it does not start.</summary>
    public async Task<SwimMembershipManager> StartAsync(string id, IEnumerable<SwimEndpoint>? seeds = null, SwimMembershipOptions? options = null)
    {
        SwimMembershipManager manager = Create(id, seeds, options: options);
        Assert.True(await manager.StartAsync(), manager.LastStartError);
        return manager;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (SwimMembershipManager m in _all)
        {
            await m.StopAsync();
        }
    }
}
