package newsbeam;

import edu.stanford.nlp.ie.AbstractSequenceClassifier;
import edu.stanford.nlp.ie.crf.CRFClassifier;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.util.Triple;
import javax.json.Json;
import javax.json.JsonArrayBuilder;
import javax.json.JsonObject;
import javax.json.JsonReader;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * CoreNLP's CRF named-entity classifiers over standard input and output, one JSON object a line:
 * {"model": PATH, "text": TEXT} in, {"spans": [[LABEL, START, END], ...]} or {"error": MESSAGE} out,
 * offsets in UTF-16 code units of TEXT. A pipe, not CoreNLP's HTTP server, so no port is opened on
 * a worker. Each model loads on its first request and stays loaded.
 */
public final class NerPipe {
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err); // CoreNLP's own messages must not mix with the answers
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Map<String, AbstractSequenceClassifier<CoreLabel>> models = new HashMap<>();
    String line;
    while ((line = in.readLine()) != null) {
      String answer;
      try (JsonReader reader = Json.createReader(new StringReader(line))) {
        JsonObject request = reader.readObject();
        String path = request.getString("model");
        AbstractSequenceClassifier<CoreLabel> model = models.get(path);
        if (model == null) {
          model = CRFClassifier.getClassifier(path);
          models.put(path, model);
        }
        JsonArrayBuilder spans = Json.createArrayBuilder();
        for (Triple<String, Integer, Integer> span : model.classifyToCharacterOffsets(request.getString("text"))) {
          spans.add(Json.createArrayBuilder().add(span.first()).add(span.second()).add(span.third()));
        }
        answer = Json.createObjectBuilder().add("spans", spans).build().toString();
      } catch (Exception | OutOfMemoryError e) {
        answer = Json.createObjectBuilder().add("error", String.valueOf(e)).build().toString();
      }
      out.println(answer);
      out.flush();
    }
  }
}
