using System.Diagnostics;

namespace RingRift.P2P.Swim.Tests.Membership;

/// <summary>Managers on 127.0.0.1 with OS-picked ports, stopped (gracefully) on dispose.</summary>
internal sealed class LoopbackManagers : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

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

    public static async Task<bool> WaitUntil(Func<bool> condition, TimeSpan? bound = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (bound ?? Patience))
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (SwimMembershipManager m in _all)
        {
            await m.StopAsync();
        }
    }
}
