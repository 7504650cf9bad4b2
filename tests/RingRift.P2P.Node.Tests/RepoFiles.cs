namespace RingRift.P2P.Node.Tests;

/// <summary>Files of the repository the tests check (README, examples, deploy files), found above the test binaries.</summary>
public static class RepoFiles
{
    /// <summary>The full path of <paramref name="relative"/> (segments) in the repository: the folder above the binaries that holds RingRift.P2P.slnx.</summary>
    public static string Path(params string[] relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "RingRift.P2P.slnx")))
                return System.IO.Path.Combine([dir.FullName, .. relative]);
        }
        throw new FileNotFoundException("RingRift.P2P.slnx not found above " + AppContext.BaseDirectory);
    }
}
