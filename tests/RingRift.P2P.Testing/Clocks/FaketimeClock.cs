using System.Globalization;
using System.Runtime.InteropServices;

namespace RingRift.P2P.Testing.Clocks;

/// <summary>
/// The clocks of one program started with Debian's libfaketime preloaded (<c>libfaketimeMT.so.1</c>), changed
/// while it runs by rewriting its timestamp file (<c>FAKETIME_TIMESTAMP_FILE</c>, read on every clock reading:
/// <c>FAKETIME_NO_CACHE=1</c>). Two kinds, fixed when the program starts (<see cref="Environment"/>):
/// <list type="bullet">
/// <item><see cref="ForWallSteps"/>: only the wall clock (<c>CLOCK_REALTIME</c>) is faked
/// (<c>FAKETIME_DONT_FAKE_MONOTONIC=1</c>); <see cref="StepWallClock"/> sets its offset from the true time,
/// as an operator's <c>date -s</c> or NTP stepping a clock would, and the monotonic clock never moves.</item>
/// <item><see cref="ForDrift"/>: both clocks run at <see cref="SetRate"/> times the true rate from the moment the
/// rate is set (<c>FAKETIME_XRESET=1</c>: a new rate continues from the current reading, no jump), as a fast or
/// slow oscillator would make them.</item>
/// </list>
/// libfaketime leaves a shared-memory object and a semaphore in <c>/dev/shm</c> per process it ran in, which a
/// killed process cannot remove: <see cref="RemoveLeftovers"/> deletes those of processes that are gone.
/// </summary>
public sealed class FaketimeClock
{
    /// <summary>
    /// The xunit trait value of tests that run programs under libfaketime (<c>[Trait("Category", FaketimeClock.Category)]</c>):
    /// ./test.sh leaves them out, saying so, where the library is missing, unless <c>RINGRIFT_FAKETIME_TESTS=required</c> (CI).
    /// </summary>
    public const string Category = "Faketime";

    private const string SharedMemory = "/dev/shm";

    private readonly string _file;
    private readonly bool _drift;

    private FaketimeClock(string file, bool drift, string library)
    {
        _file = file;
        _drift = drift;
        Write(drift ? RateSpec(1) : OffsetSpec(TimeSpan.Zero));
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["LD_PRELOAD"] = library,
            ["FAKETIME_TIMESTAMP_FILE"] = file,
            ["FAKETIME_NO_CACHE"] = "1", // a change is in force at the program's next clock reading
            ["LC_NUMERIC"] = "C", // libfaketime parses "x1.1" with atof, whose decimal point is the locale's
        };
        if (drift) environment["FAKETIME_XRESET"] = "1";
        else environment["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
        Environment = environment;
    }

    /// <summary>The environment variables to start the program with (beside its own).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; }

    /// <summary>The wall clock's offset from the true time now (wall-step clocks).</summary>
    public TimeSpan Offset { get; private set; }

    /// <summary>How fast both clocks run against the true time now (drift clocks).</summary>
    public double Rate { get; private set; } = 1;

    /// <summary>A clock whose wall clock can be stepped, its monotonic clock untouched; its file goes in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidOperationException">One line: libfaketime is not installed.</exception>
    public static FaketimeClock ForWallSteps(string directory) => new(FileIn(directory), drift: false, Library());

    /// <summary>A clock whose wall and monotonic clocks run fast or slow together; its file goes in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidOperationException">One line: libfaketime is not installed.</exception>
    public static FaketimeClock ForDrift(string directory) => new(FileIn(directory), drift: true, Library());

    /// <summary>The preload library of this machine's architecture.</summary>
    /// <exception cref="InvalidOperationException">One line naming the missing file and the package giving it.</exception>
    public static string Library()
    {
        var multiarch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x86_64-linux-gnu",
            Architecture.Arm64 => "aarch64-linux-gnu",
            var other => throw new InvalidOperationException($"Faketime tests cannot run: no libfaketime path known for {other}."),
        };
        var path = $"/usr/lib/{multiarch}/faketime/libfaketimeMT.so.1";
        return File.Exists(path) ? path
            : throw new InvalidOperationException($"Faketime tests cannot run: {path} is missing (Debian package libfaketime; scripts/test-deps.sh installs it).");
    }

    /// <summary>Sets the wall clock <paramref name="offset"/> from the true time (zero: true time again), from the program's next reading on.</summary>
    public void StepWallClock(TimeSpan offset)
    {
        if (_drift) throw new InvalidOperationException("a drift clock fakes the monotonic clock too: a step would move both; use ForWallSteps");
        Write(OffsetSpec(offset));
        Offset = offset;
    }

    /// <summary>Makes both clocks run at <paramref name="rate"/> times the true rate from now on (1: true rate again).</summary>
    public void SetRate(double rate)
    {
        if (!_drift) throw new InvalidOperationException("a wall-step clock leaves the monotonic clock alone; use ForDrift");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        Write(RateSpec(rate));
        Rate = rate;
    }

    /// <summary>
    /// Deletes libfaketime's shared-memory object and semaphore of each of <paramref name="processIds"/> that has
    /// ended (a process still running, or a reused id, is left alone).
    /// </summary>
    public static void RemoveLeftovers(IEnumerable<int> processIds)
    {
        ArgumentNullException.ThrowIfNull(processIds);
        foreach (var pid in processIds.Distinct())
        {
            if (Directory.Exists(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}"))) continue;
            foreach (var name in (string[])[$"faketime_shm_{pid}", $"sem.faketime_sem_{pid}"])
            {
                try { File.Delete(Path.Combine(SharedMemory, name)); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
    }

    /// <summary>libfaketime's relative offset in seconds: "+3600", "-3600", "+0".</summary>
    private static string OffsetSpec(TimeSpan offset) =>
        string.Create(CultureInfo.InvariantCulture, $"{(offset < TimeSpan.Zero ? "-" : "+")}{Math.Abs(offset.TotalSeconds):0.###}");

    /// <summary>No offset, a speed: "+0 x1.1" ("x1" for the true rate: a spec without x keeps the previous rate under FAKETIME_XRESET).</summary>
    private static string RateSpec(double rate) => string.Create(CultureInfo.InvariantCulture, $"+0 x{rate:0.###}");

    private static string FileIn(string directory)
    {
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, "faketime.rc");
    }

    /// <summary>Replaces the file in one rename, so the program never reads it half written.</summary>
    private void Write(string spec)
    {
        var next = _file + ".next";
        File.WriteAllText(next, spec + "\n");
        File.Move(next, _file, overwrite: true);
    }
}
