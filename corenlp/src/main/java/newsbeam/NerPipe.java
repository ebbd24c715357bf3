package newsbeam;

import edu.stanford.nlp.ie.AbstractSequenceClassifier;
import edu.stanford.nlp.ie.crf.CRFClassifier;
import edu.stanford.nlp.ie.crf.CRFCliqueTree;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import javax.json.Json;
import javax.json.JsonArray;
import javax.json.JsonArrayBuilder;
import javax.json.JsonObject;
import javax.json.JsonReader;
import javax.json.JsonString;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CoreNLP's CRF named-entity classifiers over standard input and output, one JSON object a line:
 * {"model": PATH, "sentences": [[TOKEN, ...], ...]} in, {"labels": [[LABEL, ...], ...], "probs":
 * [[P, ...], ...]} (a label a token, "O" outside any entity, and the model's marginal probability of
 * that label) or {"error": MESSAGE} out. The caller tokenizes, so it knows where each token is in its
 * text. A pipe, not CoreNLP's HTTP server, so no port is opened on a worker. Each model loads on its
 * first request and stays loaded.
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
        JsonArrayBuilder labels = Json.createArrayBuilder();
        JsonArrayBuilder probs = Json.createArrayBuilder();
        for (JsonArray tokens : request.getJsonArray("sentences").getValuesAs(JsonArray.class)) {
          List<CoreLabel> sentence = new ArrayList<>();
          for (JsonString token : tokens.getValuesAs(JsonString.class)) {
            CoreLabel word = new CoreLabel();
            word.setWord(token.getString());
            word.setValue(token.getString());
            word.setOriginalText(token.getString());
            sentence.add(word);
          }
          JsonArrayBuilder answers = Json.createArrayBuilder();
          JsonArrayBuilder sure = Json.createArrayBuilder();
          if (!sentence.isEmpty()) {
            List<CoreLabel> tagged = model.classifySentence(sentence);
            CRFCliqueTree<String> tree = model instanceof CRFClassifier<CoreLabel> crf ? crf.getCliqueTree(tagged) : null;
            for (int i = 0; i < tagged.size(); i++) {
              String label = tagged.get(i).getString(CoreAnnotations.AnswerAnnotation.class);
              answers.add(label);
              sure.add(tree == null ? 1.0 : tree.prob(i, label));
            }
          }
          labels.add(answers);
          probs.add(sure);
        }
        answer = Json.createObjectBuilder().add("labels", labels).add("probs", probs).build().toString();
      } catch (Exception | OutOfMemoryError e) {
        answer = Json.createObjectBuilder().add("error", String.valueOf(e)).build().toString();
      }
      out.println(answer);
      out.flush();
    }
  }
}
