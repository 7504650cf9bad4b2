using System.Collections;
using System.Diagnostics;

namespace RingRift.P2P.Testing.Waiting;

/// <summary>
/// The one wait-until of the test suite, for tests on real sockets, processes and wall-clock timers:
/// polls an observation until it satisfies a condition, and otherwise fails naming what was awaited,
/// for how long, and the last value observed (or the last exception the observation threw).
/// </summary>
/// <remarks>
/// <para>Tests on virtual time do not need it: they advance the clock to the exact instant instead.</para>
/// <para>Timeouts are bounds for a loaded 2-core machine, not expectations: a wait returns as soon as its
/// condition holds, so a generous bound costs nothing when all is well. <see cref="DefaultWithin"/> is
/// 30 s.</para>
/// <para>An observation that throws counts as "not yet" (a node still starting refuses connections);
/// the exception is reported if the wait runs out.</para>
/// </remarks>
public static class Eventually
{
    /// <summary>How long a wait lasts when the caller gives no bound: 30 s.</summary>
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(200);

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="what">What is awaited, for the failure message ("node-2 sees node-3 left").</param>
    /// <exception cref="WaitTimedOutException">It did not hold within <paramref name="within"/>.</exception>
    public static Task Until(Func<bool> condition, string what, TimeSpan? within = null) =>
        Until(() => Task.FromResult(condition()), done => done, what, within);

    /// <summary>Waits until the asynchronous <paramref name="condition"/> holds.</summary>
    public static Task Until(Func<Task<bool>> condition, string what, TimeSpan? within = null) =>
        Until(condition, done => done, what, within);

    /// <summary>Observes until <paramref name="done"/> accepts the observation, and returns that observation.</summary>
    /// <example><c>var item = await Eventually.Until(() => queue.Get(id), i => i?.Status == Completed, "item completed");</c></example>
    public static Task<T> Until<T>(Func<T> observe, Func<T, bool> done, string what, TimeSpan? within = null) =>
        Until(() => Task.FromResult(observe()), done, what, within);

    /// <summary>Observes asynchronously until <paramref name="done"/> accepts the observation, and returns it.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> observe, Func<T, bool> done, string what, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(observe);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        TimeSpan bound = within ?? DefaultWithin;
        var clock = Stopwatch.StartNew();
        TimeSpan pause = FirstPause;
        string last = "nothing (never observed)";
        while (true)
        {
            try
            {
                T value = await observe().ConfigureAwait(false);
                if (done(value))
                {
                    return value;
                }

                last = Describe(value);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                last = $"{ex.GetType().Name}: {ex.Message}";
            }

            if (clock.Elapsed >= bound)
            {
                throw new WaitTimedOutException($"Waited {bound.TotalSeconds:0.###} s for {what}; last observed: {last}");
            }

            TimeSpan remaining = bound - clock.Elapsed;
            await Task.Delay(pause < remaining ? pause : remaining).ConfigureAwait(false);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }

    /// <summary>A readable one-line form of an observation: collections as [a, b], null as "null".</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        System.Text.Json.Nodes.JsonNode json => json.ToJsonString(),
        IDictionary map => "{" + string.Join(", ", map.Keys.Cast<object>().Select(k => $"{k}: {Describe(map[k])}")) + "}",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Describe)) + "]",
        _ => value.ToString() ?? "null",
    };
}

/// <summary>A wait of <see cref="Eventually"/> ran out; the message names what was awaited and what was last seen.</summary>
public sealed class WaitTimedOutException(string message) : Exception(message);
