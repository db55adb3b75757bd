package io.ringmq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The README shows the Go example that CI runs against bin/ringmq-server (interop/scripts/run-clients.sh):
 * it must be that very program, character for character, or the README's promise is untested.
 */
class ReadmeExampleTest
{
    @Test
    void theReadmesGoExampleIsTheProgramTheClientSuiteRuns() throws Exception
    {
        final Path root = Path.of("").toAbsolutePath().getParent(); // Maven runs the module's tests in interop/
        final String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        final String program = Files.readString(root.resolve("interop/go/src/ringmq.io/example/hello/main.go"),
            StandardCharsets.UTF_8);
        final int start = readme.indexOf("```go\n");
        assertTrue(start >= 0, "README.md has no Go example");
        final int end = readme.indexOf("```", start + 6);
        assertEquals(program, readme.substring(start + "```go\n".length(), end));
        assertTrue(program.contains("amqp.Dial(url)") && program.contains("\"amqp://guest:guest@localhost:5672/\""),
            "the classic example dials localhost:5672 as guest");
    }
}
