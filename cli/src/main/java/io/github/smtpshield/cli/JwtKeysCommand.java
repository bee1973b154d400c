package io.github.smtpshield.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code smtp-shield jwt-keys [conf-dir]}: makes the key pair of WebAdmin's tokens, unless there is one. {@code
 * bin/smtp-shield} runs it on a start with {@code WEBADMIN_JWT=true}. Exit status 0 when the pair is there, 1 when it
 * could not be made.
 */
@Command(
        name = "jwt-keys",
        mixinStandardHelpOptions = true,
        description =
                "Makes the RSA key pair of WebAdmin's tokens (jwt_publickey, jwt_privatekey) unless there is one.")
final class JwtKeysCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "0..1",
            defaultValue = "conf",
            paramLabel = "CONF_DIR",
            description = "the James conf folder (default: ${DEFAULT-VALUE})")
    private Path conf;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Path publicKey = conf.resolve(JwtKeys.PUBLIC_KEY);
        Path privateKey = conf.resolve(JwtKeys.PRIVATE_KEY);
        if (Files.exists(publicKey) && Files.exists(privateKey)) {
            return 0;
        }
        try {
            JwtKeys.create(conf);
        } catch (IOException | GeneralSecurityException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": cannot make the key pair: " + e);
            spec.commandLine().getErr().flush();
            return 1;
        }
        spec.commandLine()
                .getOut()
                .println("smtp-shield: WebAdmin's token keys made: " + publicKey + ", " + privateKey);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
