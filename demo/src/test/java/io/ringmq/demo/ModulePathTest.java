package io.ringmq.demo;

import org.junit.jupiter.api.Test;

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
 * A modular application runs RingMQ on the module path with no extra flags: the demo, as its own
 * named module beside the engine, routing, JCTools and Agrona, in a JVM started with nothing but
 * {@code --module-path} and {@code -m}. (Before the engine required {@code jdk.unsupported}, JCTools'
 * {@code sun.misc.Unsafe} failed with NoClassDefFoundError in {@code Broker.create()} here.)
 */
class ModulePathTest
{
    @Test
    void theDemoRunsOnTheModulePathWithNoExtraFlags() throws Exception
    {
        final List<String> modulePath = new ArrayList<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            if (isModuleOfTheApplication(entry))
            {
                modulePath.add(entry);
            }
        }
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Path output = Files.createTempFile("ringmq-module-path", ".log");
        final Process process = new ProcessBuilder(java.toString(),
            "--module-path", String.join(File.pathSeparator, modulePath),
            "-m", "io.ringmq.demo/io.ringmq.demo.PipelineDemo")
            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        final boolean ended = process.waitFor(120, TimeUnit.SECONDS);
        if (!ended)
        {
            process.destroyForcibly();
        }
        final String printed = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        assertTrue(ended, "the demo did not end in 120 s: " + printed);
        assertEquals(0, process.exitValue(), "module path " + modulePath + "\n" + printed);
        assertTrue(printed.contains("throughput:"), printed);
        assertTrue(printed.lines().noneMatch(line -> line.contains("Exception")), printed);
    }

    /** The demo's classes and what it needs at run time; not the test classes nor the test framework. */
    private static boolean isModuleOfTheApplication(final String entry)
    {
        final String name = Path.of(entry).toString();
        if (name.endsWith("test-classes") || name.contains("junit") || name.contains("opentest4j") ||
            name.contains("apiguardian"))
        {
            return false;
        }
        return name.endsWith("classes") || name.contains("ringmq-") || name.contains("jctools") || name.contains("agrona");
    }

}
