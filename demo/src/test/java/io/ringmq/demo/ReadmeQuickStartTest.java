package io.ringmq.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's in-process quick start is what a new user copies first, so it must compile and do what it
 * says, as it stands: its imports and statements are taken out of README.md (its first {@code java}
 * block, as interop's ReadmeExampleTest takes the Go example), put in a {@code main}, compiled with
 * javax.tools against the engine and run in a JVM of its own; it must print both messages, in order,
 * and nothing on stderr. (Before, it missed a static import, and its get raced the consumer.)
 */
class ReadmeQuickStartTest
{
    private static final String FENCE = "```java\n";

    @Test
    void theReadmesQuickStartCompilesRunsAndPrintsWhatItSays(@TempDir final Path dir) throws Exception
    {
        final Path source = dir.resolve("ReadmeQuickStart.java");
        Files.writeString(source, asProgram(quickStart()), StandardCharsets.UTF_8);

        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        final boolean compiled;
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8))
        {
            compiled = javac.getTask(null, files, diagnostics,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString()), null,
                files.getJavaFileObjects(source)).call();
        }
        assertTrue(compiled, "the README's quick start does not compile: " + diagnostics.getDiagnostics());

        final Path out = dir.resolve("stdout.txt");
        final Path err = dir.resolve("stderr.txt");
        final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", dir + File.pathSeparator + System.getProperty("java.class.path"), "ReadmeQuickStart")
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        final boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended)
        {
            process.destroyForcibly();
        }
        final String printed = Files.readString(out, StandardCharsets.UTF_8);
        final String errors = Files.readString(err, StandardCharsets.UTF_8);
        assertTrue(ended, "the quick start did not end in 60 s: " + printed + errors);
        assertEquals(0, process.exitValue(), printed + errors);
        assertEquals("received Hello World!\ngot Hello again!\n", printed);
        assertEquals("", errors);
    }

    /** @return the first {@code java} block of README.md's in-process section. */
    private static String quickStart() throws Exception
    {
        final Path root = Path.of("").toAbsolutePath().getParent(); // Maven runs the module's tests in demo/
        final String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        final int section = readme.indexOf("## The broker in process");
        assertTrue(section >= 0, "README.md has no in-process section");
        final int start = readme.indexOf(FENCE, section);
        assertTrue(start >= 0, "README.md's in-process section has no Java example");
        final int end = readme.indexOf("```", start + FENCE.length());
        return readme.substring(start + FENCE.length(), end);
    }

    /** Its import lines stay at the top of the file; every other line goes, as it is, into a main method. */
    private static String asProgram(final String snippet)
    {
        final List<String> imports = new ArrayList<>();
        final List<String> body = new ArrayList<>();
        for (final String line : snippet.split("\n", -1))
        {
            (line.startsWith("import ") ? imports : body).add(line);
        }
        return String.join("\n", imports) + "\n\npublic class ReadmeQuickStart {\n" +
            "public static void main(String[] args) throws Exception {\n" + String.join("\n", body) + "\n}\n}\n";
    }
}
