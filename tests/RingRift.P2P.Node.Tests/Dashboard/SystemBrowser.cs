using PuppeteerSharp;

namespace RingRift.P2P.Node.Tests.Dashboard;

/// <summary>
/// The machine's own Chromium (Debian's <c>chromium</c> package, or the binary <see cref="PathVariable"/> names),
/// started headless by PuppeteerSharp with a fresh profile and without any background traffic. Nothing is
/// downloaded: without a browser the tests that need one fail, saying how to install it (./test.sh leaves
/// them out then, unless <c>RINGRIFT_BROWSER_TESTS=required</c>).
/// </summary>
public sealed class SystemBrowser : IAsyncDisposable
{
    /// <summary>Names the Chromium binary to use instead of <c>chromium</c> on the PATH.</summary>
    public const string PathVariable = "RINGRIFT_CHROMIUM";

    /// <summary>The xunit trait value of the tests that drive a browser (<c>--filter Category!=Browser</c> leaves them out).</summary>
    public const string Category = "Browser";

    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
    ];

    private readonly string _profile;

    private SystemBrowser(IBrowser browser, string profile)
    {
        Browser = browser;
        _profile = profile;
    }

    public IBrowser Browser { get; }

    /// <summary>The browser binary, or an exception that says how to get one.</summary>
    public static string Executable()
    {
        var named = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(named))
            return File.Exists(named) ? named : throw new InvalidOperationException($"{PathVariable}={named}: no such file");
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "chromium");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            $"no browser: install Debian's chromium (apt-get install chromium) or set {PathVariable} to a Chromium binary. " +
            "./test.sh leaves the browser tests out when none is installed, unless RINGRIFT_BROWSER_TESTS=required.");
    }

    public static async Task<SystemBrowser> LaunchAsync()
    {
        var profile = Path.Combine(Path.GetTempPath(), "ringrift-chromium-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(profile);
        try
        {
            var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = Executable(),
                Headless = true,
                Args = Flags,
                UserDataDir = profile,
                Timeout = 60_000,
                DefaultViewport = new ViewPortOptions { Width = 1400, Height = 1000 },
            });
            return new SystemBrowser(browser, profile);
        }
        catch
        {
            DeleteProfile(profile);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Browser.CloseAsync();
        }
        finally
        {
            if (Browser.Process is { HasExited: false } process) process.Kill(entireProcessTree: true);
            await Browser.DisposeAsync();
            DeleteProfile(_profile);
        }
    }

    private static void DeleteProfile(string profile)
    {
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
